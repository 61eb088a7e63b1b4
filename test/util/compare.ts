/**
 * Test helpers for comparing float32 results: bit equality, ulp distance, tolerance.
 */
import { expect } from 'vitest';

const f = new Float32Array(1);
const u = new Int32Array(f.buffer);

/** The float32 bit pattern of x as a signed int, mapped so that ordering matches numeric order. */
export function orderedBits(x: number): number {
  f[0] = x;
  const b = u[0];
  return b < 0 ? -2147483648 - b : b;
}

/** Distance in float32 units in the last place (NaN-NaN = 0; NaN vs number = Infinity). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(orderedBits(a) - orderedBits(b));
}

/** Hex of the raw bytes of a typed array (for byte-level comparisons and messages). */
export function hexBytes(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

/** Asserts identical bytes, reporting the first differing element. */
export function expectBitsEqual(actual: ArrayLike<number> & ArrayBufferView, expected: ArrayLike<number> & ArrayBufferView, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what}: first difference at element ${i}: ${actual[i]} vs ${expected[i]}`);
    }
  }
  expect.fail(`${what}: bytes differ (NaN payloads?)`);
}

export interface Tolerance {
  /** Maximum ulp distance. */
  ulp?: number;
  rtol?: number;
  atol?: number;
}

/** Asserts elementwise closeness: within `ulp` ulps, or |a - e| <= atol + rtol * |e|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const okUlp = tol.ulp !== undefined && ulpDistance(a, e) <= tol.ulp;
    const okTol = tol.rtol !== undefined || tol.atol !== undefined ? Math.abs(a - e) <= (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(e) : false;
    if (!okUlp && !okTol) {
      expect.fail(`${what}: element ${i}: got ${a}, expected ${e} (ulp distance ${ulpDistance(a, e)}, tolerance ${JSON.stringify(tol)})`);
    }
  }
}
