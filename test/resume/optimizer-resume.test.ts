/**
 * Exact resume with the Keras optimizers' state: a fit interrupted after step 3 (the checkpoints after
 * it deleted) and resumed ends with the uninterrupted run's weights, bit for bit, for optimizers
 * whose state is more than Adam's: RMSprop (centered, momentum: three slots) with a CosineDecay
 * schedule, AdamW with the weights' moving average (useEma), and Nadam with gradient accumulation
 * (an accumulator holding one gradient at the checkpoint; the momentum-schedule product recomputed
 * from the step count). Resuming with another schedule is refused.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { resetNames } from '../../src/nn/naming.ts';

const root = mkdtempSync(join(tmpdir(), 'ditto-opt-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

await dt.setBackend('cpu');
const x = dt.tensor(Float32Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.37)), [12, 4]);
const y = dt.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.21)), [12, 2]);

const OPTIMIZERS: [string, (decaySteps?: number) => dt.optimizers.Optimizer][] = [
  ['RMSprop centered + momentum + CosineDecay', (d = 6) => new dt.optimizers.RMSprop({
    learningRate: new dt.optimizers.schedules.CosineDecay({ initialLearningRate: 0.01, decaySteps: d, warmupTarget: 0.02, warmupSteps: 2 }),
    centered: true, momentum: 0.5,
  })],
  ['AdamW + EMA', () => new dt.optimizers.AdamW({ learningRate: 0.01, useEma: true, emaOverwriteFrequency: 4 })],
  ['Nadam + gradient accumulation', () => new dt.optimizers.Nadam({ learningRate: 0.01, gradientAccumulationSteps: 2, clipnorm: 1 })],
];

/** What a fresh process would build. */
function program(make: () => dt.optimizers.Optimizer) {
  resetNames();
  dt.utils.setRandomSeed(99);
  const model = new dt.Sequential([new dt.layers.Dense(5, { activation: 'tanh' }), new dt.layers.Dense(2)]);
  model.compile({ optimizer: make(), loss: 'mse' });
  const train = dt.data.Dataset.fromTensorSlices([x, y]).batch(4); // 3 steps per epoch
  return { model, fit: (o: Partial<dt.FitOptions> = {}) => model.fit(train, { epochs: 2, verbose: 0, ...o }) };
}

describe('resume restores the optimizers\' slots and step count exactly', () => {
  it.each(OPTIMIZERS)('%s', async (_name, make) => {
    const a = program(make);
    await a.fit();
    const expected = { weights: await dt.utils.weightsDigest(a.model), iterations: a.model.compiled!.optimizer.iterations };
    a.model.dispose();

    const dir = join(root, _name.replace(/\W+/g, '-'));
    const b = program(make);
    await b.fit({ checkpoint: { dir, everySteps: 1, keep: 10 } });
    b.model.dispose();
    for (const c of readdirSync(dir)) if (Number(c.slice(5)) > 3) rmSync(join(dir, c), { recursive: true });
    expect(readdirSync(dir).sort().at(-1)).toBe('ckpt-000000003');

    const c = program(make);
    await c.fit({ resumeFrom: dir });
    expect({ weights: await dt.utils.weightsDigest(c.model), iterations: c.model.compiled!.optimizer.iterations }).toEqual(expected);
    expect(expected.iterations).toBe(6);
    c.model.dispose();

    if (_name.startsWith('RMSprop')) {
      const d = program(() => make(7));
      await expect(d.fit({ resumeFrom: dir })).rejects.toThrow(/expected optimizer .*decaySteps\\":6/);
      d.model.dispose();
    }
  }, 60_000);
});
