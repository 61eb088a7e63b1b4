// Accuracy sweep of erf32 (src/core/math/erf.ts) against the float64 reference (test/reference/erf64.ts):
// every `step`-th float32 bit pattern of |x| in [lo, hi) (default: every pattern in [2^-30, 4), about 2^28),
// the max ulp error and where. erf32 is odd by construction (sign bit copied back), so |x| covers both signs.
// Outside [2^-30, 4) erf32 is 2/sqrt(pi) * x rounded once, or exactly ±1 (checked in test/ops/erf.test.ts).
// Usage: npx tsx scripts/erf-ulp-sweep.ts [step] [loBits hiBits]   (the result in the header of erf.ts
// came from step 1; step 16 is the 2^24-sample sweep, about a minute).
import { erf32, f32FromBits } from '../src/core/math/index.ts';
import { erf64 } from '../test/reference/erf64.ts';
import { ulpError } from '../test/unit/math/ulp.ts';

const step = Number(process.argv[2] ?? 1);
const lo = Number(process.argv[3] ?? 0x30800000);
const hi = Number(process.argv[4] ?? 0x40800000);
const SMALL_END = 0x3f200000;
const t0 = Date.now();
const worst = { small: { max: 0, at: NaN }, large: { max: 0, at: NaN } };
let count = 0;
for (let b = lo; b < hi; b += step) {
  const x = f32FromBits(b);
  const y = erf32(x);
  const r = erf64(x);
  count++;
  if (y === Math.fround(r)) continue; // correctly rounded: under 0.5 ulp
  const e = ulpError(y, r);
  const w = b < SMALL_END ? worst.small : worst.large;
  if (e > w.max || Number.isNaN(e)) {
    w.max = e;
    w.at = x;
  }
}
console.log(JSON.stringify({ range: `[0x${lo.toString(16)}, 0x${hi.toString(16)})`, step, count, below0625: worst.small, from0625: worst.large, seconds: (Date.now() - t0) / 1000 }));
