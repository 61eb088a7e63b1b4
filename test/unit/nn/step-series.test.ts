/**
 * fit's per-step series (History.steps, src/nn/training/step-series.ts) over many steps: its chunks of 64 values fill
 * and are appended to one tensor of all earlier values several times an epoch (two values a step: every 32 steps),
 * and the series still holds, for every step, the bits of the running logs that a per-batch callback reads, in order,
 * over two epochs (each flushed at its end), with no tensor left behind.
 */
import { beforeAll, beforeEach, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { f32Hex } from '../../../src/nn/history.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { bandImages, batches, smallCnn } from './helpers.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());

it('History.steps holds every step of long epochs (chunks appended several times) with the per-batch logs\' bits', async () => {
  const [x, y] = bandImages(150, 3);
  const model = smallCnn({ dropout: 0 });
  model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const seen: Record<string, string[]> = { loss: [], accuracy: [] };
  class Logs extends dt.Callback {
    override onBatchEnd(_batch: number, logs?: Record<string, number>): void {
      for (const k of ['loss', 'accuracy']) seen[k].push(f32Hex(logs![k]));
    }
  }
  const before = dt.memory().numTensors;
  const h = await model.fit(batches(x, y, 2), { epochs: 2, verbose: 0, callbacks: [new Logs()] });
  const steps = h.steps!;
  // 75 steps an epoch: 150 values, two full chunks appended and a partial one, in each epoch
  expect(steps.step).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  for (const k of ['loss', 'accuracy']) {
    expect(steps.history[k].length).toBe(150);
    expect(steps.history[k].map(f32Hex)).toEqual(seen[k]);
  }
  // the last step of each epoch is the epoch's log
  expect(f32Hex(steps.history.loss[74])).toBe(f32Hex(h.history.loss[0]));
  expect(f32Hex(steps.history.loss[149])).toBe(f32Hex(h.history.loss[1]));
  model.dispose();
  x.dispose();
  y.dispose();
  expect(dt.memory().numTensors).toBeLessThanOrEqual(before);
});
