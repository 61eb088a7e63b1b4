/**
 * The benchmark configurations. Each runs in its own child process: ditto on the CPU with 1 and 2
 * threads (with the native AVX2 GEMM tiles where built, and again with WebAssembly SIMD only) and on WebGPU, the TensorFlow.js 4.22 peers (wasm with SIMD, stock cpu), and the
 * PyTorch CPU peer (Debian's python3-torch through /usr/bin/python3, bench/torch_step.py) with 1
 * and 2 threads in its default NCHW layout and in channels_last.
 */
export type ConfigName =
  | 'ditto-cpu-1t' | 'ditto-cpu-2t' | 'ditto-cpu-1t-wasm' | 'ditto-cpu-2t-wasm' | 'ditto-webgpu' | 'tfjs-wasm' | 'tfjs-cpu'
  | 'torch-cpu-1t' | 'torch-cpu-2t' | 'torch-cl-1t' | 'torch-cl-2t';

/** Trainable parameters of the reference CNN (lib/models.ts; torch_step.py reports its own count, checked against this). */
export const PARAMS = 21_578;

export interface Config {
  name: ConfigName;
  engine: 'ditto' | 'tfjs' | 'torch';
  backend: 'cpu' | 'webgpu' | 'wasm';
  threads?: number;
  /** torch: the memory format of the model and its input. */
  layout?: 'contiguous' | 'channels_last';
  /** Environment for the child. */
  env: Record<string, string>;
  /** Variables removed from this child's environment only. */
  unsetEnv?: readonly string[];
  /** A slow configuration: few steps, one round only. */
  slow?: boolean;
}

/**
 * Set on some machines for old OpenBLAS builds; PyTorch's child runs without them (they are left
 * alone everywhere else). Debian's torch takes its convolutions from oneDNN, and the bench reports
 * which BLAS library the process actually loaded.
 */
const TORCH_UNSET = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

const torch = (name: ConfigName, threads: number, layout: 'contiguous' | 'channels_last'): Config => ({
  name, engine: 'torch', backend: 'cpu', threads, layout, env: { OMP_NUM_THREADS: String(threads) }, unsetEnv: TORCH_UNSET,
});

export const CONFIGS: readonly Config[] = [
  { name: 'ditto-cpu-1t', engine: 'ditto', backend: 'cpu', threads: 1, env: { DITTO_THREADS: '1' } },
  { name: 'ditto-cpu-2t', engine: 'ditto', backend: 'cpu', threads: 2, env: { DITTO_THREADS: '2' } },
  // the same without the native AVX2 GEMM tiles (WebAssembly SIMD only: what a machine without the addon runs; the same bits)
  { name: 'ditto-cpu-1t-wasm', engine: 'ditto', backend: 'cpu', threads: 1, env: { DITTO_THREADS: '1', DITTO_CPU_NATIVE: '0' } },
  { name: 'ditto-cpu-2t-wasm', engine: 'ditto', backend: 'cpu', threads: 2, env: { DITTO_THREADS: '2', DITTO_CPU_NATIVE: '0' } },
  { name: 'ditto-webgpu', engine: 'ditto', backend: 'webgpu', env: { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } },
  { name: 'tfjs-wasm', engine: 'tfjs', backend: 'wasm', env: {} },
  { name: 'tfjs-cpu', engine: 'tfjs', backend: 'cpu', env: {}, slow: true },
  torch('torch-cpu-1t', 1, 'contiguous'),
  torch('torch-cpu-2t', 2, 'contiguous'),
  torch('torch-cl-1t', 1, 'channels_last'),
  torch('torch-cl-2t', 2, 'channels_last'),
];

/** Short names accepted by --only. */
export const ALIASES: Readonly<Record<string, ConfigName>> = {
  cpu1: 'ditto-cpu-1t', cpu2: 'ditto-cpu-2t', cpu1w: 'ditto-cpu-1t-wasm', cpu2w: 'ditto-cpu-2t-wasm', webgpu: 'ditto-webgpu', wasm: 'tfjs-wasm', tfcpu: 'tfjs-cpu', 'tf-cpu': 'tfjs-cpu',
  torch1: 'torch-cpu-1t', torch2: 'torch-cpu-2t', torchcl1: 'torch-cl-1t', torchcl2: 'torch-cl-2t',
};

export function configByName(name: string): Config {
  const c = CONFIGS.find((k) => k.name === name);
  if (!c) throw new Error(`unknown configuration '${name}'. Expected one of: ${CONFIGS.map((k) => k.name).join(', ')} (or ${Object.keys(ALIASES).join(', ')})`);
  return c;
}

/** Parses --only a,b,c (also accepts the short names of ALIASES, and `torch` for all four torch configurations). */
export function selectConfigs(only: string | undefined): Config[] {
  if (!only) return [...CONFIGS];
  const names = only.split(',').map((s) => s.trim()).filter(Boolean)
    .flatMap((s) => (s === 'torch' ? CONFIGS.filter((c) => c.engine === 'torch').map((c) => c.name) : [ALIASES[s] ?? s]));
  return [...new Set(names)].map((s) => configByName(s));
}
