/**
 * Helpers for the data tests: small synthetic datasets and reading whole iterations as plain values
 * (every yielded tensor is read and disposed, as a consumer must).
 */
import * as dt from '../../../src/index.ts';

/** Reads a (nested) element as plain arrays and disposes its tensors. */
export function plain(v: unknown): unknown {
  if (v instanceof dt.Tensor) {
    const a = v.arraySync();
    v.dispose();
    return a;
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Every element of an iteration, as plain values. */
export async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const el of it) out.push(plain(el));
  return out;
}

/** x: [n, 2] float32 with row i = [i, 1000 + i]; y: [n] int32 with y[i] = i. */
export function rows(n: number): [dt.Tensor, dt.Tensor] {
  const x = dt.tensor(Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 1000 + (k - 1) / 2)), [n, 2]);
  const y = dt.tensor(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32');
  return [x, y];
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
