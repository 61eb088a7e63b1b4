/**
 * The one answer of the tests to "is WebGPU available here", and the one way to declare tests that
 * need it. Without an adapter (no Vulkan loader or driver, no GPU) such tests are skipped, with the
 * reason in their names (`... (skipped: <reason>)`); with REQUIRE_WEBGPU=1 (CI, where lavapipe is
 * installed) a missing adapter instead FAILS each of them with the reason.
 *
 *   const unavailable = await webgpuUnavailable();          // probes in this process
 *   const unavailable = await webgpuUnavailableInChild();   // files that only spawn processes
 *   describeWebGpu('suite', unavailable, () => { it(...) });
 *   itWebGpu('one test', unavailable, async () => { ... });
 */
import { beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { runTs } from './subprocess.ts';
import { parseProbeOutput, probeWebGpu } from './webgpu-probe.ts';

export { parseProbeOutput, PROBE_PREFIX, type ProbeResult } from './webgpu-probe.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

/** REQUIRE_WEBGPU=1: a missing WebGPU adapter fails the WebGPU tests instead of skipping them. */
export const REQUIRE_WEBGPU = process.env.REQUIRE_WEBGPU === '1';

let inProcess: Promise<string | null> | undefined;

/**
 * Why WebGPU is unavailable in this process, or null when it is available: dt.setBackend('webgpu')
 * (the backend stays created; the caller's afterAll calls dt.shutdown()), then back to the CPU.
 * Probes once per process.
 */
export function webgpuUnavailable(): Promise<string | null> {
  inProcess ??= probeWebGpu().then((r) => (r.available ? null : r.reason));
  return inProcess;
}

const CHILD_PROBE = 'test/util/scripts/webgpu-probe.ts';
let inChild: Promise<string | null> | undefined;

/**
 * The same question asked in a fresh process (test/util/scripts/webgpu-probe.ts), for files that
 * only spawn processes and must not start Dawn themselves. The child prints one structured line,
 * parsed exactly; a child that fails or prints anything else yields a reason, never "available".
 * `env` adds to the child's environment (no caching then).
 */
export function webgpuUnavailableInChild(env?: Record<string, string>): Promise<string | null> {
  const ask = async (): Promise<string | null> => {
    const r = await runTs(CHILD_PROBE, [], env ?? {}, 120_000);
    if (r.code !== 0) return `WebGPU probe exited with code ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`;
    const p = parseProbeOutput(r.stdout.toString());
    return p.available ? null : p.reason;
  };
  if (env) return ask();
  inChild ??= ask();
  return inChild;
}

/** The message of a WebGPU test that fails because REQUIRE_WEBGPU=1 and there is no adapter. */
export function requiredButUnavailable(reason: string): string {
  return `REQUIRE_WEBGPU=1 but WebGPU is unavailable: ${reason}`;
}

/**
 * Declares the suite `name` of WebGPU tests. Available: the suite as is. Unavailable: every test
 * of it is skipped, under the name `<name> (skipped: <reason>)`; with REQUIRE_WEBGPU=1, every test
 * of it fails with the reason instead (its body never runs).
 */
export function describeWebGpu(name: string, unavailable: string | null, body: () => void): void {
  if (unavailable === null) {
    describe(name, body);
    return;
  }
  const skip = !REQUIRE_WEBGPU;
  describe.skipIf(skip)(skip ? `${name} (skipped: ${unavailable})` : `${name} (REQUIRE_WEBGPU=1, unavailable)`, () => {
    beforeEach(() => {
      expect.fail(requiredButUnavailable(unavailable));
    });
    body();
  });
}

/**
 * Declares one WebGPU test, with describeWebGpu's rules: skipped as `<name> (skipped: <reason>)`
 * without an adapter, failing with the reason under REQUIRE_WEBGPU=1.
 */
export function itWebGpu(name: string, unavailable: string | null, fn: (ctx: TestContext) => unknown, timeout?: number): void {
  if (unavailable === null) {
    it(name, fn, timeout);
    return;
  }
  const skip = !REQUIRE_WEBGPU;
  it.skipIf(skip)(skip ? `${name} (skipped: ${unavailable})` : `${name} (REQUIRE_WEBGPU=1, unavailable)`, () => {
    expect.fail(requiredButUnavailable(unavailable));
  }, timeout);
}
