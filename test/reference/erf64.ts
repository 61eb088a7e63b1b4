/**
 * float64 reference erf for tests and scripts: erf(x) = 2/sqrt(pi) * e^(-x^2) * sum_n (2x^2)^n x / (1*3*...*(2n+1))
 * (every term positive, so no cancellation; relative error ~1e-15 for |x| < 6), ±1 for |x| >= 6 (erfc(6) = 2e-17).
 * Checked against Python's math.erf (test/ops/erf.test.ts). Test-only; never imported by src/.
 */
export function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x);
  if (a === 0) return x;
  const q = 2 * a * a;
  let term = a;
  let sum = a;
  for (let n = 1; n < 400; n++) {
    term *= q / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-18) break;
  }
  const y = (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
  return x < 0 ? -y : y;
}
