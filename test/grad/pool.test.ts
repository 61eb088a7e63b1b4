/**
 * Gradient checks (float64 central differences + vᵀJu) for maxPool2d and avgPool2d (NHWC, TF
 * semantics: 'same' padding is excluded from the average and never the max): pool sizes 2 and 3,
 * strides equal to, smaller (overlapping windows) and larger than the pool, both paddings, odd
 * sizes and several channels. maxPool inputs are pairwise distinct so no window has a tie.
 */
import * as dt from '../../src/index.ts';
import * as N from '../reference/nn64.ts';
import type { A64 } from '../reference/ops64.ts';
import { type GradCheckSpec, describeGradcheck, distinct, uniform } from '../util/gradcheck.ts';

interface PoolCfg { x: number[]; k: number | [number, number]; s?: number | [number, number]; p: 'same' | 'valid' }
const POOLS: PoolCfg[] = [
  { x: [1, 4, 4, 1], k: 2, p: 'valid' },
  { x: [2, 4, 4, 3], k: 2, s: 2, p: 'same' },
  { x: [1, 5, 5, 2], k: 2, s: 2, p: 'valid' },
  { x: [1, 5, 5, 2], k: 2, s: 2, p: 'same' },
  { x: [1, 5, 5, 2], k: 3, s: 1, p: 'same' },
  { x: [1, 5, 5, 2], k: 3, s: 1, p: 'valid' },
  { x: [1, 7, 7, 2], k: 3, s: 2, p: 'same' },
  { x: [1, 7, 6, 2], k: 3, s: 2, p: 'valid' },
  { x: [2, 5, 4, 2], k: [2, 3], s: [1, 2], p: 'same' },
  { x: [1, 6, 6, 1], k: 2, s: 3, p: 'valid' },
  { x: [1, 3, 3, 2], k: 4, s: 1, p: 'same' },
];

const fmt = (v: unknown) => JSON.stringify(v);
const cases: GradCheckSpec[] = POOLS.flatMap((c) => {
  const o = { poolSize: c.k, ...(c.s === undefined ? {} : { strides: c.s }), padding: c.p };
  const label = `x[${c.x}] pool=${fmt(c.k)} strides=${fmt(c.s ?? c.k)} padding=${c.p}`;
  return [
    { name: `maxPool2d ${label}`, f: (x: dt.Tensor) => dt.maxPool2d(x, o), ref: (x: A64) => N.maxPool2d(x, o), inputs: [distinct(c.x, -2, 2)] },
    { name: `avgPool2d ${label}`, f: (x: dt.Tensor) => dt.avgPool2d(x, o), ref: (x: A64) => N.avgPool2d(x, o), inputs: [uniform(c.x, -2, 2)] },
  ];
});

describeGradcheck('pooling gradients', cases);
