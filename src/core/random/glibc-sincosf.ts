/**
 * Bit-exact port of glibc's float `sincosf` for |y| < 120 (sysdeps/ieee754/flt-32/s_sincosf.c, s_sincosf.h,
 * s_sincosf_data.c; x86-64 path with TOINT_INTRINSICS = 0), used by TensorFlow's CPU Box–Muller on Linux (spec §3.5).
 * Every step is float64 arithmetic exactly as in the C source. Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { f32ToBits, hexFloat } from './float-bits.ts';

interface SincosTable {
  c0: number; c1: number; c2: number; c3: number; c4: number;
  s1: number; s2: number; s3: number;
}

const C1 = hexFloat('-0x1.ffffffd0c621cp-2');
const C2 = hexFloat('0x1.55553e1068f19p-5');
const C3 = hexFloat('-0x1.6c087e89a359dp-10');
const C4 = hexFloat('0x1.99343027bf8c3p-16');
const S1 = hexFloat('-0x1.555545995a603p-3');
const S2 = hexFloat('0x1.1107605230bc4p-7');
const S3 = hexFloat('-0x1.994eb3774cf24p-13');

/** __sincosf_table[0]: cos coefficients for quadrants with (n & 2) == 0. */
const T0: SincosTable = { c0: 1, c1: C1, c2: C2, c3: C3, c4: C4, s1: S1, s2: S2, s3: S3 };
/** __sincosf_table[1]: the cos coefficients with every sign flipped, for (n & 2) != 0. */
const T1: SincosTable = { c0: -1, c1: -C1, c2: -C2, c3: -C3, c4: -C4, s1: S1, s2: S2, s3: S3 };
const SIGN = [1, -1, -1, 1] as const;
const HPI_INV = hexFloat('0x1.45F306DC9C883p+23'); // 2/pi * 2^24
const HPI = hexFloat('0x1.921FB54442D18p0'); // pi/2

const TOP_PIO4 = 0x3f4; // abstop12(0x1.921FB6p-1f)
const TOP_2M12 = 0x398; // abstop12(0x1p-12f)
const TOP_120 = 0x42f; // abstop12(120.0f)

/**
 * glibc `sincosf(y)` for a float32 y with |y| < 120 (TensorFlow only passes y in [0, 2*pi)).
 * determinism: this is the plain C source. On FMA CPUs glibc runs an FMA-compiled copy whose contracted
 * multiply-adds can change a result in rare cases outside TF's domain (1 of 4M random |y| < 120 here);
 * over all 2^23 TF inputs both agree (test/golden/gen/random/glibc-check.ts).
 * Writes sin(y) to out[offset] and cos(y) to out[offset + 1] as float32 values; allocation-free.
 * Throws for |y| >= 120 or non-finite y, whose slow-path range reduction is not ported.
 */
export function glibcSincosf(y: number, out: Float32Array | number[], offset = 0): void {
  const top = (f32ToBits(y) >>> 20) & 0x7ff;
  let x = Math.fround(y);
  if (top < TOP_PIO4) {
    if (top < TOP_2M12) {
      out[offset] = x;
      out[offset + 1] = 1;
      return;
    }
    poly(x, x * x, T0, 0, out, offset);
    return;
  }
  if (top < TOP_120) {
    const r = x * HPI_INV;
    const n = (((r | 0) + 0x800000) | 0) >> 24; // (int32_t) r truncates toward zero
    x = x - n * HPI;
    const s = SIGN[n & 3];
    poly(x * s, x * x, (n & 2) !== 0 ? T1 : T0, n, out, offset);
    return;
  }
  throw new ArgumentError(`glibcSincosf: expected a finite float32 with |y| < 120. Received: y=${y}`);
}

function poly(x: number, x2: number, p: SincosTable, n: number, out: Float32Array | number[], offset: number): void {
  const x4 = x2 * x2;
  const x3 = x2 * x;
  const c2 = p.c3 + x2 * p.c4;
  const s1 = p.s2 + x2 * p.s3;
  const c1 = p.c0 + x2 * p.c1;
  const x5 = x3 * x2;
  const x6 = x4 * x2;
  const s = x + x3 * p.s1;
  const c = c1 + x4 * p.c2;
  const sinv = Math.fround(s + x5 * s1);
  const cosv = Math.fround(c + x6 * c2);
  if ((n & 1) !== 0) {
    out[offset] = cosv;
    out[offset + 1] = sinv;
  } else {
    out[offset] = sinv;
    out[offset + 1] = cosv;
  }
}
