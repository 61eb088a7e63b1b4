/**
 * Property-based fuzzing of layers applied directly (issue 21): Dense, Conv2D, MaxPooling2D,
 * AveragePooling2D, GlobalAveragePooling2D, Flatten and Dropout (training true and false) with
 * random arguments and inputs (test/fuzz/layer-cases.ts):
 *  (a) construction and apply give a well-formed tensor or throw a dt.TensorEngineError that
 *      names the layer's class;
 *  (b) the same outcome and result bits on 1 and 2 CPU threads, and on the CPU and WebGPU (the
 *      WebGPU part through the shared gate test/util/webgpu.ts);
 *  (c) nothing leaks once the output, the input and the layer are disposed.
 */
import { afterAll, describe, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';
import { describeWebGpu, webgpuUnavailable } from '../util/webgpu.ts';
import { PROPERTY_TIMEOUT_MS, expectSameSummary, printTalliesAfterAll, property, runProperty } from './harness.ts';
import { describeLayerCall, layerCallArb, summarizeLayerCall, type LayerCall } from './layer-cases.ts';

const unavailable = await webgpuUnavailable();
await dt.setBackend('cpu');
printTalliesAfterAll('layers');
afterAll(async () => {
  setParallelMinWork();
  await dt.shutdown();
});

describe('fuzz: layers on the CPU backend', () => {
  it('construct + apply: a tensor or the layer\'s own TensorEngineError, without leaks; 1 and 2 threads agree', async () => {
    setParallelMinWork(1); // split even small jobs, so that 2 threads really share them
    try {
      await runProperty('layers-cpu-threads', property(layerCallArb, async (c: LayerCall) => {
        dt.config.setNumThreads(1);
        const one = await summarizeLayerCall(c);
        dt.config.setNumThreads(2);
        const two = await summarizeLayerCall(c, false);
        expectSameSummary(one, two, ['1 thread', '2 threads'], describeLayerCall(c));
      }), 600);
    } finally {
      setParallelMinWork();
    }
  }, PROPERTY_TIMEOUT_MS);
});

describeWebGpu('fuzz: layers, CPU vs WebGPU', unavailable, () => {
  it('construct + apply: the same error or the same result bits on both backends', async () => {
    await runProperty('layers-cpu-vs-webgpu', property(layerCallArb, async (c: LayerCall) => {
      await dt.setBackend('cpu');
      const cpu = await summarizeLayerCall(c);
      await dt.setBackend('webgpu');
      try {
        const gpu = await summarizeLayerCall(c, false);
        expectSameSummary(cpu, gpu, ['cpu', 'webgpu'], describeLayerCall(c));
      } finally {
        await dt.setBackend('cpu');
      }
    }), 400);
  }, PROPERTY_TIMEOUT_MS);
});
