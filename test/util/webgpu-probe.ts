/**
 * The one WebGPU availability probe of the tests, without vitest (so the child probe script
 * test/util/scripts/webgpu-probe.ts can use it too): probing in this process, and the structured
 * line a child process prints and its exact parse. Test files use test/util/webgpu.ts.
 */
import * as dt from '../../src/index.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

/** The prefix of the child probe's one line on stdout; JSON follows it. */
export const PROBE_PREFIX = 'ditto-webgpu-probe ';

/** What the child probe reports. */
export type ProbeResult = { available: true; description: string } | { available: false; reason: string };

/** The engine's wrapper around a backend's reason; the reason alone names the cause. */
const SET_BACKEND_PREFIX = /^setBackend: backend 'webgpu' is not available: /;

/** The first line of an error's message, without the engine's setBackend wrapper. */
export function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return (message.split('\n')[0] ?? '').replace(SET_BACKEND_PREFIX, '') || 'setBackend(\'webgpu\') failed without a message';
}

/**
 * Opens the WebGPU backend in this process (dt.setBackend('webgpu')) and goes back to the CPU.
 * The WebGPU backend stays created until dt.shutdown(); the caller shuts down at the end.
 */
export async function probeWebGpu(): Promise<ProbeResult> {
  try {
    await dt.setBackend('webgpu');
  } catch (e) {
    await dt.setBackend('cpu');
    return { available: false, reason: reasonOf(e) };
  }
  const { description } = dt.getBackendInfo();
  await dt.setBackend('cpu');
  return { available: true, description };
}

/** The line the child probe prints for `r`. */
export function probeLine(r: ProbeResult): string {
  return PROBE_PREFIX + JSON.stringify(r);
}

/**
 * The child probe's result from its stdout: exactly one line that starts with PROBE_PREFIX and
 * holds a well-formed ProbeResult; anything else is reported as a failed probe (with the reason
 * why, so a broken probe never reads as "available").
 */
export function parseProbeOutput(stdout: string): ProbeResult {
  const lines = stdout.split('\n').filter((l) => l.startsWith(PROBE_PREFIX));
  if (lines.length !== 1) return { available: false, reason: `WebGPU probe failed: expected one '${PROBE_PREFIX.trim()}' line, got ${lines.length}` };
  let v: unknown;
  try {
    v = JSON.parse(lines[0]!.slice(PROBE_PREFIX.length));
  } catch {
    return { available: false, reason: `WebGPU probe failed: malformed line ${JSON.stringify(lines[0])}` };
  }
  const o = v as Record<string, unknown>;
  if (o && o.available === true && typeof o.description === 'string' && Object.keys(o).length === 2) return { available: true, description: o.description };
  if (o && o.available === false && typeof o.reason === 'string' && o.reason && Object.keys(o).length === 2) return { available: false, reason: o.reason };
  return { available: false, reason: `WebGPU probe failed: malformed line ${JSON.stringify(lines[0])}` };
}
