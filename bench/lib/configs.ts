/**
 * The benchmark configurations. Each runs in its own child process: ditto on the CPU with 1 and 2
 * threads and on WebGPU, and the TensorFlow.js 4.22 peers (wasm with SIMD, stock cpu).
 */
export type ConfigName = 'ditto-cpu-1t' | 'ditto-cpu-2t' | 'ditto-webgpu' | 'tfjs-wasm' | 'tfjs-cpu';

export interface Config {
  name: ConfigName;
  engine: 'ditto' | 'tfjs';
  backend: 'cpu' | 'webgpu' | 'wasm';
  threads?: number;
  /** Environment for the child. */
  env: Record<string, string>;
  /** A slow configuration: few steps, one round only. */
  slow?: boolean;
}

export const CONFIGS: readonly Config[] = [
  { name: 'ditto-cpu-1t', engine: 'ditto', backend: 'cpu', threads: 1, env: { DITTO_THREADS: '1' } },
  { name: 'ditto-cpu-2t', engine: 'ditto', backend: 'cpu', threads: 2, env: { DITTO_THREADS: '2' } },
  { name: 'ditto-webgpu', engine: 'ditto', backend: 'webgpu', env: { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } },
  { name: 'tfjs-wasm', engine: 'tfjs', backend: 'wasm', env: {} },
  { name: 'tfjs-cpu', engine: 'tfjs', backend: 'cpu', env: {}, slow: true },
];

export function configByName(name: string): Config {
  const c = CONFIGS.find((k) => k.name === name);
  if (!c) throw new Error(`unknown configuration '${name}'. Expected one of: ${CONFIGS.map((k) => k.name).join(', ')}`);
  return c;
}

/** Parses --only a,b,c (also accepts the short names cpu1, cpu2, webgpu, wasm, tfcpu). */
export function selectConfigs(only: string | undefined): Config[] {
  if (!only) return [...CONFIGS];
  const alias: Record<string, ConfigName> = { cpu1: 'ditto-cpu-1t', cpu2: 'ditto-cpu-2t', webgpu: 'ditto-webgpu', wasm: 'tfjs-wasm', tfcpu: 'tfjs-cpu', 'tf-cpu': 'tfjs-cpu' };
  return only.split(',').map((s) => s.trim()).filter(Boolean).map((s) => configByName(alias[s] ?? s));
}
