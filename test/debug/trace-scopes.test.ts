/**
 * The scopes op traces record in a fit step, as Keras names them: the loss under `loss` (each output's under
 * `loss/<output>`), the loss tracker under `metrics/loss`, each metric under `metrics/<name>` (as Keras logs it), the
 * optimizer's update under `optimizer`; and a functional model (dt.Input, layers, new dt.Model) with a Sequential
 * nested in it traces its layers under `<model>/<layer>` and `<model>/<sequential>/<layer>`, forward and gradient;
 * a model run by `apply` scopes its layers once (not `<model>/<model>/<layer>`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ditto-trace-scopes-'));
beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(async () => {
  await dt.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** The records of step 1 of a 1-epoch fit of `m` on (x, y), grouped as 'scope phase' -> op names. */
async function traceStep(name: string, m: dt.Model | dt.Sequential, x: dt.Tensor | dt.Tensor[], y: dt.Tensor | Record<string, dt.Tensor>): Promise<Map<string, string[]>> {
  const path = join(dir, name);
  await m.fit(x as dt.Tensor, y as dt.Tensor, { epochs: 1, batchSize: 4, verbose: 0, trace: { path, steps: [1] } });
  const out = new Map<string, string[]>();
  for (const r of dt.debug.readTrace(path).records) {
    const k = `${r.scope} ${r.phase}`;
    out.set(k, [...(out.get(k) ?? []), r.op]);
  }
  return out;
}

const x = (): dt.Tensor => dt.tensor(Array.from({ length: 8 * 5 }, (_, i) => ((i * 13) % 17) / 17), [8, 5]);
const labels = (): dt.Tensor => dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');

describe('op trace scopes of a fit step', () => {
  it('loss, metrics/loss, metrics/<name> and optimizer; nothing left at the top level', async () => {
    dt.utils.setRandomSeed(3);
    const m = new dt.Sequential([dt.layers.Input({ shape: [5] }), new dt.layers.Dense(3, { activation: 'softmax', name: 'd' })], { name: 'seq' });
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const s = await traceStep('single.jsonl', m, x(), labels());
    const keys = [...s.keys()];
    expect(s.get('loss forward')?.length).toBeGreaterThan(0);
    expect(s.get('loss gradient')?.length).toBeGreaterThan(0);
    expect(s.get('metrics/loss forward')).toContain('add');
    expect(s.get('metrics/accuracy forward')).toContain('equal');
    expect(s.get('optimizer forward')?.length).toBeGreaterThan(0);
    expect(s.get('seq/d forward')).toContain('matmul');
    expect(s.get('seq/d gradient')?.length).toBeGreaterThan(0);
    // The gradient's seed (ones) is recorded as a gradient of the loss's last op.
    expect(dt.debug.readTrace(join(dir, 'single.jsonl')).records.filter((r) => r.of === 'seed')).toMatchObject([{ op: 'fill', scope: 'loss', phase: 'gradient', shape: [] }]);
    // Every op of the step belongs to the model, the loss, a metric or the optimizer (at step 1 'metrics' also
    // creates the metrics' variables, and 'optimizer' its slots).
    expect(keys.filter((k) => !/^(seq\/d|loss|metrics(\/(loss|accuracy))?|optimizer) (forward|gradient)$/.test(k))).toEqual([]);
    m.dispose();
  });

  it('several outputs: loss/<output> per output, metrics/<output>_loss and metrics/<output>_<metric>', async () => {
    dt.utils.setRandomSeed(3);
    const input = dt.Input({ shape: [5], name: 'in' });
    const a = new dt.layers.Dense(3, { activation: 'softmax', name: 'a' }).apply(input);
    const b = new dt.layers.Dense(1, { name: 'b' }).apply(input);
    const m = new dt.Model({ inputs: input, outputs: [a, b], name: 'two' });
    m.compile({ optimizer: 'sgd', loss: ['sparse_categorical_crossentropy', 'mse'], metrics: [['accuracy'], []] });
    const s = await traceStep('multi.jsonl', m, x(), { a: labels(), b: dt.ones([8, 1]) } as never);
    const keys = new Set(s.keys());
    for (const k of ['loss/a forward', 'loss/b forward', 'loss/a gradient', 'loss/b gradient', 'metrics/loss forward', 'metrics/a_loss forward',
      'metrics/b_loss forward', 'metrics/a_accuracy forward', 'optimizer forward']) {
      expect(keys, k).toContain(k);
    }
    expect([...keys].filter((k) => k.startsWith(' '))).toEqual([]);
    m.dispose();
  });
});

describe('op trace scopes of a functional model with a nested Sequential', () => {
  it('records each layer under <model>/<layer> and <model>/<sequential>/<layer>, forward and gradient', async () => {
    dt.utils.setRandomSeed(5);
    const input = dt.Input({ shape: [5] });
    const h = new dt.layers.Dense(4, { activation: 'relu', name: 'first' }).apply(input);
    const inner = new dt.Sequential([new dt.layers.Dense(4, { activation: 'tanh', name: 'inner_dense' }), new dt.layers.Dropout(0.5, { name: 'inner_drop' })], { name: 'block' });
    const out = new dt.layers.Dense(3, { activation: 'softmax', name: 'head' }).apply(inner.apply(h) as dt.SymbolicTensor);
    const m = new dt.Model({ inputs: input, outputs: out, name: 'func' });
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const s = await traceStep('functional.jsonl', m, x(), labels());
    for (const scope of ['func/first', 'func/block/inner_dense', 'func/head']) {
      expect(s.get(`${scope} forward`), scope).toContain('matmul');
      expect(s.get(`${scope} gradient`), scope).toContain('matmul');
    }
    expect(s.get('func/block/inner_drop forward')).toContain('dropoutApply');
    expect(s.get('func/block/inner_drop gradient')?.length).toBeGreaterThan(0);
    expect([...s.keys()].filter((k) => !/^(func\/(first|head|block\/inner_(dense|drop))|loss|metrics\/loss|optimizer) (forward|gradient)$/.test(k))).toEqual([]);
    m.dispose();
  });

  it('a model scopes its layers once, whether run by apply, call or fit', async () => {
    const input = dt.Input({ shape: [5] });
    const m = new dt.Model({ inputs: input, outputs: new dt.layers.Dense(3, { name: 'f1' }).apply(input), name: 'fm' });
    const s = new dt.Sequential([dt.layers.Input({ shape: [5] }), new dt.layers.Dense(2, { name: 's1' })], { name: 'sm' });
    const path = join(dir, 'apply.jsonl');
    await dt.debug.trace({ path }, () => dt.tidy(() => {
      m.apply(dt.ones([2, 5]));
      s.apply(dt.ones([2, 5]));
      m.call(dt.ones([2, 5]));
      s.call(dt.ones([2, 5]));
    }));
    const scopes = dt.debug.readTrace(path).records.map((r) => r.scope);
    expect(new Set(scopes.filter((x) => x !== ''))).toEqual(new Set(['fm/f1', 'sm/s1']));
    expect(scopes.filter((x) => x === 'fm/f1').length).toBe(scopes.filter((x) => x === 'sm/s1').length);
    m.dispose();
    s.dispose();
  });
});
