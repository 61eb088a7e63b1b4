/**
 * Learning-rate schedules (dt.optimizers.schedules) against float64 evaluations of Keras's formulas
 * (keras/src/optimizers/schedules/learning_rate_schedule.py) at chosen steps: within 1e-6 relative
 * (a handful of float32 roundings), 2e-6 where a fractional pow is involved (pow32 is within 12.2
 * ulp), 2e-7 of the initial rate (absolute) where 1 + cos cancels near a period's end; exact where the float32 sequence is exact (piecewise values, integer powers, schedule ends).
 * Then: optimizers evaluate the schedule (or a function) at `iterations` before each update, the
 * config records it, and bad arguments are clear errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectBitsEqual } from '../../util/compare.ts';

const f = Math.fround;
const S = dt.optimizers.schedules;

beforeAll(async () => {
  await dt.setBackend('cpu');
});

function expectRel(got: number, want: number, rtol: number, what: string): void {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(rtol * Math.abs(want) + 1e-12);
  expect(got, `${what} is a float32`).toBe(f(got));
}

const STEPS = [0, 1, 2, 7, 50, 99, 100, 101, 250, 1000, 12345];

describe('schedule values vs float64 Keras formulas', () => {
  it('ExponentialDecay: initial * rate ^ (step / decaySteps) (staircase: floor)', () => {
    const s = new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96 });
    const st = new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5, staircase: true });
    for (const t of STEPS) {
      expectRel(s.call(t), f(0.1) * f(0.96) ** f(t / 100), 2e-6, `step ${t}`); // Keras casts rate and p to float32
      expectRel(st.call(t), 0.1 * 0.5 ** Math.floor(t / 100), 1e-6, `staircase step ${t}`);
    }
    expect(st.call(250)).toBe(f(f(0.1) * 0.25)); // integer power: exact
    expect(s.call(0)).toBe(f(0.1));
  });

  it('PiecewiseConstantDecay: values[i] between boundaries (step <= boundary belongs to the left), exactly', () => {
    const s = new S.PiecewiseConstantDecay({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
    const want: [number, number][] = [[0, 1], [100, 1], [101, 0.5], [110, 0.5], [111, f(0.1)], [5000, f(0.1)]];
    for (const [t, v] of want) expect(s.call(t), `step ${t}`).toBe(v);
  });

  it('PolynomialDecay: (initial - end) * (1 - min(step, d) / d) ^ power + end; cycle stretches d', () => {
    const lin = new S.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01 });
    const sq = new S.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 0.5 });
    const cyc = new S.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, power: 2, cycle: true });
    for (const t of STEPS) {
      const p = Math.min(t, 100) / 100;
      expectRel(lin.call(t), 0.09 * (1 - p) + 0.01, 1e-6, `linear step ${t}`);
      expectRel(sq.call(t), 0.09 * (1 - p) ** 0.5 + 0.01, 2e-6, `sqrt step ${t}`);
      const d = 100 * (t === 0 ? 1 : Math.ceil(t / 100));
      expectRel(cyc.call(t), (0.1 - 0.0001) * (1 - t / d) ** 2 + 0.0001, 1e-6, `cycle step ${t}`);
    }
    expect(lin.call(100)).toBe(f(0.01));
    expect(lin.call(5000)).toBe(f(0.01));
  });

  it('InverseTimeDecay: initial / (1 + rate * step / decaySteps) (staircase: floor)', () => {
    const s = new S.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const st = new S.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    for (const t of STEPS) {
      expectRel(s.call(t), 0.1 / (1 + (0.5 * t) / 10), 1e-6, `step ${t}`);
      expectRel(st.call(t), 0.1 / (1 + 0.5 * Math.floor(t / 10)), 1e-6, `staircase step ${t}`);
    }
  });

  it('CosineDecay: initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, d) / d)) + alpha); warmup is linear', () => {
    const s = new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
    const w = new S.CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 });
    const cosine = (t: number, d: number, from: number, alpha: number): number => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, d)) / d)) + alpha);
    for (const t of STEPS) {
      // The argument pi * fraction is rounded to float32 as in Keras; near pi the cosine's slope is small.
      expectRel(s.call(t), cosine(t, 1000, 0.1, 0.1), 1e-6, `step ${t}`);
      const wantW = t < 100 ? 0.1 * (t / 100) : cosine(Math.min(t, 1100) - 100, 1000, 0.1, 0);
      if (wantW > 1e-6) expectRel(w.call(t), wantW, 1e-6, `warmup step ${t}`);
    }
    expect(s.call(0)).toBe(f(0.1));
    expect(w.call(0)).toBe(0);
    expect(w.call(100)).toBe(f(0.1));
    expect(w.call(1100)).toBeLessThan(1e-9);
  });

  it('CosineDecayRestarts: periods growing by tMul, restarts scaled by mMul', () => {
    const ref = (t: number, first: number, tMul: number, mMul: number, alpha: number): number => {
      let c = t / first;
      let i: number;
      if (tMul === 1) {
        i = Math.floor(c);
        c -= i;
      } else {
        i = Math.floor(Math.log(1 - c * (1 - tMul)) / Math.log(tMul));
        const sumR = (1 - tMul ** i) / (1 - tMul);
        c = (c - sumR) / tMul ** i;
      }
      return 0.1 * ((1 - alpha) * 0.5 * mMul ** i * (1 + Math.cos(Math.PI * c)) + alpha);
    };
    const a = new S.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100 });
    const b = new S.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100, tMul: 1, mMul: 0.5, alpha: 0.05 });
    for (const t of [0, 1, 50, 99, 101, 150, 299, 301, 700, 1234]) {
      // Near a period's end 1 + cos(pi c) cancels: compare within 2e-7 of the initial rate there.
      expect(Math.abs(a.call(t) - ref(t, 100, 2, 1, 0)), `tMul 2 step ${t}`).toBeLessThanOrEqual(2e-8);
      expect(Math.abs(b.call(t) - ref(t, 100, 1, 0.5, 0.05)), `tMul 1 step ${t}`).toBeLessThanOrEqual(2e-8);
      if (t % 100 < 90) expectRel(a.call(t), ref(t, 100, 2, 1, 0), 2e-6, `tMul 2 step ${t}`);
    }
    expect(a.call(100)).toBe(f(0.1)); // the first restart: back to the initial rate
    expect(b.call(200)).toBe(f(f(0.1) * f(f(f(1 - f(0.05)) * f(f(0.5 * 0.25) * 2)) + f(0.05)))); // second restart: mMul^2 = 0.25
  });
});

describe('optimizers and schedules', () => {
  it('the learning rate of each update is the schedule at iterations (before the increment)', async () => {
    const sched = new S.ExponentialDecay({ initialLearningRate: 0.5, decaySteps: 1, decayRate: 0.5 });
    const fn = (step: number): number => 0.5 / (step + 1);
    for (const lr of [sched, fn]) {
      const opt = new dt.optimizers.SGD({ learningRate: lr });
      const v = dt.variable(dt.tensor([1, -2]));
      const g = dt.tensor([1, 0.5]);
      const want = [1, -2];
      for (let t = 0; t < 4; t++) {
        const l = f(typeof lr === 'function' ? lr(t) : lr.call(t));
        expect(opt.currentLearningRate()).toBe(l);
        opt.applyGradients([[g, v]]);
        for (let i = 0; i < 2; i++) want[i] = f(want[i] - f([1, 0.5][i] * l));
      }
      expectBitsEqual((await v.data()) as Float32Array, Float32Array.from(want));
      dt.dispose([v, g]);
    }
  });

  it('Adam with a schedule: alpha uses the scheduled rate; config records the schedule', () => {
    const sched = new S.PiecewiseConstantDecay({ boundaries: [1], values: [0.01, 0.001] });
    const a = new dt.optimizers.Adam({ learningRate: sched });
    expect(a.coefficients(1).alpha).toBe(new dt.optimizers.Adam({ learningRate: 0.01 }).coefficients(1).alpha);
    expect(a.coefficients(3).alpha).toBe(new dt.optimizers.Adam({ learningRate: 0.001 }).coefficients(3).alpha);
    expect(JSON.parse(a.getConfig().learningRate as string)).toEqual({ className: 'PiecewiseConstantDecay', boundaries: [1], values: [0.01, 0.001], name: 'PiecewiseConstant' });
    expect(new dt.optimizers.SGD({ learningRate: () => 0.1 }).getConfig().learningRate).toBe('function');
  });

  it('a schedule or function giving a non-finite rate is an error naming the step', () => {
    const opt = new dt.optimizers.SGD({ learningRate: (s: number) => (s === 1 ? NaN : 0.1) });
    const v = dt.variable(dt.tensor([1]));
    const g = dt.tensor([1]);
    opt.applyGradients([[g, v]]);
    expect(() => opt.applyGradients([[g, v]])).toThrow(/^SGD: expected the learning rate at step 1 to be a finite number\. Received: NaN/);
    dt.dispose([v, g]);
  });

  it('bad arguments are clear errors', () => {
    expect(() => new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 })).toThrow(/^ExponentialDecay: expected decaySteps > 0\. Received: decaySteps=0/);
    expect(() => new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never)).toThrow(/^ExponentialDecay: expected decayRate to be a finite number\. Received: decayRate=undefined/);
    expect(() => new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmup: 3 } as never)).toThrow(/^CosineDecay: .*warmup/);
    expect(() => new S.PiecewiseConstantDecay({ boundaries: [10, 5], values: [1, 2, 3] })).toThrow(/^PiecewiseConstantDecay: expected boundaries to be a non-empty array of strictly increasing integers/);
    expect(() => new S.PiecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(/^PiecewiseConstantDecay: expected values to be 2 finite numbers/);
    expect(() => new S.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: 1 } as never)).toThrow(/^PolynomialDecay: expected cycle to be a boolean/);
    expect(() => new S.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: -1 })).toThrow(/^CosineDecayRestarts: expected firstDecaySteps > 0/);
    expect(() => new dt.optimizers.Adam({ learningRate: 'fast' as never })).toThrow(/^Adam: expected a positive finite learningRate\. Received: learningRate=fast/);
  });
});
