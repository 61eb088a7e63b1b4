/**
 * Tensor inputs for the fuzzers: fast-check draws a shape, a dtype and a small fill spec (a value
 * mix and a seed); the values themselves are filled from the spec with the tests' LCG, so a
 * counterexample stays short (and shrinks by shape and mix) however large the tensor is.
 *
 * The mixes cover what kernels trip on: NaN (with several payloads, both signs), ±Infinity, ±0,
 * subnormals, the largest and smallest normals, huge and tiny values, exact ties, and for integer
 * dtypes the range edges.
 */
import fc from 'fast-check';
import * as dt from '../../src/index.ts';
import { Lcg } from '../util/gradcheck.ts';

export type DType = 'float32' | 'int32' | 'uint8';

/** How a tensor's values are drawn. */
export type Mix = 'special' | 'mixed' | 'normal' | 'ties' | 'huge' | 'tiny' | 'ints' | 'constant';

export interface FillSpec {
  mix: Mix;
  seed: number;
}

/** Everything needed to build one input tensor. */
export interface TensorSpec {
  shape: number[];
  dtype: DType;
  fill: FillSpec;
  /** Index tensors (gather, oneHot): values mostly in [0, range), a few outside when `outside`. */
  index?: { range: number; outside: boolean };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}

/** Float32 values that kernels get wrong first. NaNs with other payloads are written as bits (NAN_BITS). */
export const FLOAT_SPECIALS = [
  NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2,
  2 ** -149, -(2 ** -149), 2 ** -126, -(2 ** -126), fromBits(0x007fffff), 1e-40, -3e-39,
  3.4028234663852886e38, -3.4028234663852886e38, 1e30, -1e30, 1e-30, 65504, 16777217, -16777216, 1e10,
  88.72283935546875, -87.33654022216797, -103.97, 89, 0.1, Math.PI,
];
/** Bit patterns of NaNs besides the canonical one: negative, quiet with payload, signalling. */
export const NAN_BITS = [0xffc00000, 0x7fc00001, 0x7f800001, 0xffffffff];
export const INT32_SPECIALS = [0, 1, -1, 2, -2, 2147483647, -2147483648, 2147483646, -2147483647, 46340, 46341, -46341, 65535, 65536, -65536, 255, 256, 7, -7, 1 << 24, -(1 << 24)];
export const UINT8_SPECIALS = [0, 1, 2, 127, 128, 254, 255];

/** An arbitrary fill spec, biased to the mixes with special values. */
export const fillArb: fc.Arbitrary<FillSpec> = fc.record({
  mix: fc.oneof(
    { weight: 4, arbitrary: fc.constant<Mix>('mixed') },
    { weight: 3, arbitrary: fc.constant<Mix>('special') },
    { weight: 3, arbitrary: fc.constant<Mix>('normal') },
    { weight: 2, arbitrary: fc.constant<Mix>('ties') },
    { weight: 1, arbitrary: fc.constantFrom<Mix>('huge', 'tiny', 'ints', 'constant') },
  ),
  seed: fc.integer({ min: 0, max: 0xffff }),
});

function drawFloat(mix: Mix, r: Lcg, bits: Uint32Array, i: number, out: Float32Array): void {
  const special = () => {
    if (r.next() < 0.1) bits[i] = NAN_BITS[r.int(NAN_BITS.length)];
    else out[i] = FLOAT_SPECIALS[r.int(FLOAT_SPECIALS.length)];
  };
  switch (mix) {
    case 'special': return special();
    case 'mixed': return r.next() < 0.25 ? special() : void (out[i] = r.uniform(-4, 4));
    case 'normal': out[i] = r.uniform(-3, 3); return;
    case 'ties': out[i] = (r.int(9) - 4) * 0.5; return;
    case 'huge': out[i] = (r.next() < 0.5 ? -1 : 1) * 10 ** r.uniform(20, 38.5); return;
    case 'tiny': out[i] = (r.next() < 0.5 ? -1 : 1) * 10 ** r.uniform(-45, -30); return;
    case 'ints': out[i] = r.int(21) - 10; return;
    case 'constant': out[i] = 1.25; return;
  }
}

function drawInt(dtype: 'int32' | 'uint8', mix: Mix, r: Lcg): number {
  const edges = dtype === 'int32' ? INT32_SPECIALS : UINT8_SPECIALS;
  const lo = dtype === 'int32' ? -2147483648 : 0;
  const span = dtype === 'int32' ? 4294967296 : 256;
  switch (mix) {
    case 'special': return edges[r.int(edges.length)];
    case 'mixed': return r.next() < 0.25 ? edges[r.int(edges.length)] : dtype === 'int32' ? r.int(41) - 20 : r.int(21);
    case 'huge': return lo + Math.floor(r.next() * span);
    case 'constant': return 3;
    default: return dtype === 'int32' ? r.int(11) - 5 : r.int(11);
  }
}

/** The host values of a spec. */
export function hostValues(s: TensorSpec): dt.TypedArray {
  const n = s.shape.reduce((a, b) => a * b, 1);
  const r = new Lcg(s.fill.seed * 2654435761 + n);
  if (s.dtype === 'float32') {
    const out = new Float32Array(n);
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) drawFloat(s.fill.mix, r, bits, i, out);
    return out;
  }
  const out = s.dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = drawInt(s.dtype, s.fill.mix, r);
  return out;
}

/** Indices (int32 or uint8) mostly in [0, range), sometimes just outside it. */
export function indexValues(shape: number[], dtype: 'int32' | 'uint8', range: number, seed: number, outside: boolean): dt.TypedArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const r = new Lcg(seed * 40503 + 17);
  const out = dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = outside && r.next() < 0.2 ? (r.next() < 0.5 ? -1 - r.int(3) : range + r.int(3)) : r.int(Math.max(range, 1));
    out[i] = dtype === 'uint8' ? Math.max(0, v) : v;
  }
  return out;
}

/** A tensor built from a spec on the current backend. */
export function build(s: TensorSpec): dt.Tensor {
  if (s.index && s.dtype !== 'float32') return dt.tensor(indexValues(s.shape, s.dtype, s.index.range, s.fill.seed, s.index.outside), s.shape, s.dtype);
  return dt.tensor(hostValues(s), s.shape, s.dtype);
}

// ---------------------------------------------------------------- shapes and dtypes

/** A dimension: often 1..5, sometimes 0, sometimes up to 9. */
export const dimArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 6, max: 9 }) },
);

/** A shape of rank min..max. */
export function shapeArb(minRank = 0, maxRank = 4, dim = dimArb): fc.Arbitrary<number[]> {
  return fc.array(dim, { minLength: minRank, maxLength: maxRank });
}

export const dtypeArb: fc.Arbitrary<DType> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<DType>('float32') },
  { weight: 2, arbitrary: fc.constant<DType>('int32') },
  { weight: 1, arbitrary: fc.constant<DType>('uint8') },
);

export function specArb(shape: fc.Arbitrary<number[]>, dtype: fc.Arbitrary<DType> = dtypeArb): fc.Arbitrary<TensorSpec> {
  return fc.record({ shape, dtype, fill: fillArb });
}

/**
 * A shape that broadcasts with `shape` (NumPy rules): some trailing dims, each kept or set to 1;
 * sometimes (when `wrong`) one dim changed so that it does not broadcast.
 */
export function broadcastPartner(shape: number[]): fc.Arbitrary<number[]> {
  return fc.record({
    drop: fc.integer({ min: 0, max: shape.length }),
    ones: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    extra: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 1 }),
    wrong: fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }),
  }).map(({ drop, ones, extra, wrong }) => {
    let s = shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
    if (drop === 0 && extra.length) s = [...extra, ...s]; // the partner may have the higher rank
    if (wrong >= 0 && s.length) {
      const k = wrong % s.length;
      s[k] = s[k] + 2;
    }
    return s;
  });
}

/** Numbers a `number` parameter admits: mostly from `valid`, sometimes anything (NaN, ±Inf, fractions, negatives, huge). */
export function numberArb(valid: fc.Arbitrary<number>, hostile = 1, validWeight = 12): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: validWeight, arbitrary: valid },
    { weight: hostile, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 0.5, 1.5, -0, 2 ** 32 + 1, 2 ** 53, -(2 ** 31), 1e300) },
  );
}
