// Exhaustive accuracy measurement of src/core/math over float32 bit patterns (not part of the
// vitest suite: ~4 min per function per core for all 2^32 patterns on an idle machine). Usage:
//   npx tsx test/unit/math/exhaustive.ts <exp|expm1|log|log1p|tanh|sigmoid|softplus> [loBits hiBits]
// loBits/hiBits (hex, e.g. 0x32800000 0x42d00001) restrict the sweep to |x| patterns in [lo, hi)
// on both signs; default: every finite pattern. Prints the max ulp error (vs the float64
// references in ulp.ts) and where it occurs, per sign.
import { exp32, expm1_32, log1p32, log32, sigmoid32, softplus32, tanh32 } from '../../../src/core/math/index.ts';
import { REF, sweepBits, type ErrStats } from './ulp.ts';

const FNS = { exp: exp32, expm1: expm1_32, log: log32, log1p: log1p32, tanh: tanh32, sigmoid: sigmoid32, softplus: softplus32 };
const name = process.argv[2] as keyof typeof FNS;
const lo = Number(process.argv[3] ?? 0);
const hi = Math.min(Number(process.argv[4] ?? 0x7f800000), 0x7f800000);
const f = FNS[name];
const ref = REF[name];
if (!f) throw new Error(`unknown function ${name}`);
const t0 = Date.now();
const CHUNK = 1 << 24;
const pos: ErrStats = { max: 0, argmax: NaN, count: 0 };
const neg: ErrStats = { max: 0, argmax: NaN, count: 0 };
for (let b = lo; b < hi; b += CHUNK) {
  const e = Math.min(b + CHUNK, hi);
  sweepBits(f, ref, b, e, 1, pos);
  sweepBits(f, ref, 0x80000000 + b, 0x80000000 + e, 1, neg);
}
const range = `[0x${lo.toString(16)}, 0x${hi.toString(16)})`;
console.log(JSON.stringify({ name, range, pos, neg, seconds: (Date.now() - t0) / 1000 }));
