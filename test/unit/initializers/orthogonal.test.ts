/**
 * Orthogonal (spec §5.4): orthonormal columns (tall) or rows (wide) for rank 2, 3 and 4 shapes; the Keras sign
 * convention (R = Q^T A has a positive diagonal, A the seeded normal draw); 1x1 = sign of the normal draw; gain;
 * and the float64 Householder QR itself (A = Q R, R upper triangular).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { normalValues, type RandomAlgorithm } from '../../../src/core/random/index.ts';
import { householderQR } from '../../../src/nn/initializers/householder-qr.ts';

const I = dt.initializers;

/** out [rows, cols] row-major as float64. */
function matrixOf(shape: number[], t: dt.Tensor): { rows: number; cols: number; a: Float64Array } {
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((x, y) => x * y, 1);
  const a = Float64Array.from(t.dataSync());
  t.dispose();
  return { rows, cols, a };
}

/** max |(M M^T or M^T M) - I| over the smaller dimension. */
function orthoError(rows: number, cols: number, a: Float64Array): number {
  const k = Math.min(rows, cols);
  let err = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      if (rows >= cols) for (let r = 0; r < rows; r++) dot += a[r * cols + i] * a[r * cols + j];
      else for (let c = 0; c < cols; c++) dot += a[i * cols + c] * a[j * cols + c];
      err = Math.max(err, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return err;
}

describe.each(['philox', 'threefry'] as const)('Orthogonal (%s)', (algorithm: RandomAlgorithm) => {
  const shapes = [[20, 7], [7, 20], [5, 5], [3, 4, 5], [2, 2, 9], [2, 3, 4, 6], [1, 6], [6, 1]];
  for (const shape of shapes) {
    it(`[${shape}]: orthonormal ${shape[shape.length - 1] > shape.slice(0, -1).reduce((x, y) => x * y, 1) ? 'rows' : 'columns'}, R = Q^T A has a positive diagonal`, () => {
      const t = new I.Orthogonal({ seed: 17, algorithm }).apply(shape);
      expect(t.shape).toEqual(shape);
      const { rows, cols, a } = matrixOf(shape, t);
      expect(orthoError(rows, cols, a)).toBeLessThan(2e-6);
      // Sign convention: Q (m x n, m >= n) is out (tall) or out^T (wide); A is the normal draw [m, n].
      const m = Math.max(rows, cols);
      const n = Math.min(rows, cols);
      const A = normalValues([m, n], [17, 0], { algorithm });
      const q = (i: number, j: number) => (rows >= cols ? a[i * cols + j] : a[j * cols + i]);
      for (let j = 0; j < n; j++) {
        let rjj = 0;
        for (let i = 0; i < m; i++) rjj += q(i, j) * A[i * n + j];
        expect(rjj).toBeGreaterThan(0);
      }
    });
  }

  it('1x1 is the sign of the normal draw (both signs occur)', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 24; seed++) {
      const t = new I.Orthogonal({ seed, algorithm }).apply([1, 1]);
      const v = t.dataSync()[0];
      t.dispose();
      expect(v).toBe(Math.sign(normalValues([1, 1], [seed, 0], { algorithm })[0]));
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([-1, 1]);
  });

  it('gain multiplies the float32 matrix by f32(gain); the same seed repeats bit for bit', () => {
    const base = new I.Orthogonal({ seed: 4, algorithm }).apply([4, 6]);
    const scaled = new I.Orthogonal({ seed: 4, algorithm, gain: 2.5 }).apply([4, 6]);
    const again = new I.Orthogonal({ seed: 4, algorithm }).apply([4, 6]);
    const b = base.dataSync();
    expect(Array.from(scaled.dataSync())).toEqual(Array.from(b, (x) => Math.fround(x * 2.5)));
    expect(Array.from(again.dataSync())).toEqual(Array.from(b));
    dt.dispose([base, scaled, again]);
  });
});

describe('householderQR', () => {
  it('A = Q R with orthonormal Q and upper-triangular R (float64)', () => {
    const m = 9;
    const n = 5;
    const A = Float64Array.from(normalValues([m, n], [3, 3], { algorithm: 'philox' }));
    const { q, rDiag } = householderQR(A, m, n);
    expect(orthoError(m, n, q)).toBeLessThan(1e-14);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0; // R = Q^T A
        for (let k = 0; k < m; k++) r += q[k * n + i] * A[k * n + j];
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-14);
        if (i === j) expect(Math.abs(r - rDiag[i])).toBeLessThan(1e-13);
      }
    }
  });

  it('a 1x1 input gives Q = 1, R = a (no reflection); a zero sub-column is left alone', () => {
    expect(householderQR([-0.75], 1, 1)).toEqual({ q: Float64Array.of(1), rDiag: Float64Array.of(-0.75) });
    const r = householderQR([2, 1, 0, 3], 2, 2);
    expect(Array.from(r.q)).toEqual([1, 0, 0, 1]);
    expect(Array.from(r.rDiag)).toEqual([2, 3]);
  });
});
