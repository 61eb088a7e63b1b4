/**
 * Bind groups stay reused through a long WebGPU fit: once warm, a training step binds the buffers it bound the step
 * before, so it creates (almost) no bind groups (commands.ts caches them; createBindGroup costs 15-40 us of host time
 * each). What keeps it so is the pool staying in the same state from step to step, which fit's per-step series
 * (src/nn/training/step-series.ts) must not disturb: its chunk, replaced every step, lives in a size class that no
 * scalar uses (the PAD zeros). Measured with this model: 0 bind groups in most warm steps (4 when a chunk fills, every
 * 32 steps), against 2-7 in every step without the padding (then this test fails).
 * The count is deterministic (the same ops, the same pool decisions). Skips without an adapter unless REQUIRE_WEBGPU=1.
 */
import { afterAll, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { currentBackend } from '../../../src/advanced.ts';
import type { WebGpuBackend } from '../../../src/kernels/webgpu/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { describeWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { bandImages, batches, smallCnn } from '../nn/helpers.ts';

const unavailable = await webgpuUnavailable();
afterAll(async () => {
  await dt.setBackend('cpu');
});

describeWebGpu('WebGPU bind group reuse in fit', unavailable, () => {
  it('creates almost no bind groups per warm step over 200 steps (the step series leaves the pool as it was)', async () => {
    await dt.setBackend('webgpu');
    resetNames();
    const [x, y] = bandImages(400, 3);
    const model = smallCnn({ dropout: 0 });
    model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const made = () => (currentBackend() as WebGpuBackend).stats().stream.bindGroups;
    const perStep: number[] = [];
    let last = 0;
    // onBatchBegin reads host-side counters only (overriding onBatchEnd would make fit read the logs every step)
    class Count extends dt.Callback {
      override onBatchBegin(): void {
        const now = made();
        perStep.push(now - last);
        last = now;
      }
    }
    await model.fit(batches(x, y, 2), { epochs: 1, verbose: 0, callbacks: [new Count()] });
    expect(perStep.length).toBe(200);
    // warm-up: the first steps create every bind group of the step (dozens each)
    expect(Math.max(...perStep.slice(0, 10))).toBeGreaterThan(20);
    const warm = perStep.slice(100);
    const total = warm.reduce((a, b) => a + b, 0);
    expect(total / warm.length, `bind groups created per step in steps 101-200: ${warm.join(' ')}`).toBeLessThan(0.5);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});
