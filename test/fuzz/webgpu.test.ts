/**
 * Property (b) across backends (issue 21): every op call of the fuzz catalog has the same outcome
 * on the CPU and on WebGPU: the same error (class and message), or results of the same shapes and
 * dtypes with identical bits (any NaN equal to any NaN: payloads are unspecified). Each run also
 * checks properties (a) and (c) on WebGPU. Declared through the shared gate test/util/webgpu.ts:
 * skipped with the reason without an adapter, failing under REQUIRE_WEBGPU=1.
 *
 * The one documented difference is excluded: out-of-range gather indices are refused where the
 * backend can read them synchronously (CPU) and give zeros on WebGPU (src/core/ops/gather.ts).
 */
import { afterAll, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { describeWebGpu, webgpuUnavailable } from '../util/webgpu.ts';
import { summarizeCall } from './checks.ts';
import { PROPERTY_TIMEOUT_MS, expectSameSummary, printTalliesAfterAll, property, runProperty } from './harness.ts';
import { CATALOG, anyCallArb, describeCall, largeCallArb, type OpCall } from './op-cases.ts';

const unavailable = await webgpuUnavailable();
printTalliesAfterAll('webgpu');
afterAll(() => dt.shutdown());

async function sameOnCpuAndWebGpu(c: OpCall): Promise<void> {
  await dt.setBackend('cpu');
  const cpu = await summarizeCall(c);
  await dt.setBackend('webgpu');
  try {
    const gpu = await summarizeCall(c, false);
    expectSameSummary(cpu, gpu, ['cpu', 'webgpu'], describeCall(c));
  } finally {
    await dt.setBackend('cpu');
  }
}

const agreeing = (c: OpCall) => CATALOG[c.op].agrees?.(c) ?? true;

describeWebGpu('fuzz: CPU vs WebGPU', unavailable, () => {
  it('every op: the same error or the same result bits on both backends', async () => {
    await runProperty('ops-cpu-vs-webgpu', property(anyCallArb.filter(agreeing), sameOnCpuAndWebGpu), 1000);
  }, PROPERTY_TIMEOUT_MS);

  it('large calls (chunked dispatches, several workgroups): the same result bits on both backends', async () => {
    await runProperty('large-cpu-vs-webgpu', property(largeCallArb, sameOnCpuAndWebGpu), 40);
  }, PROPERTY_TIMEOUT_MS);
});
