// Exact float32 <-> uint32 reinterpretation for the engine's own float32 math.
// One module-level Float32Array/Uint32Array pair shares a 4-byte buffer: no allocation per call.
// Imports nothing; used by src/core/math/* and by kernels that need bit-level float tests.

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * The float32 value whose IEEE-754 bit pattern is `bits` (taken modulo 2^32).
 * Same as WGSL `bitcast<f32>(bits)`. A NaN pattern gives NaN (its payload is not guaranteed to survive JS).
 */
export function f32FromBits(bits: number): number {
  U32[0] = bits;
  return F32[0];
}

/**
 * The IEEE-754 bit pattern of `x` rounded to float32, as an unsigned integer in [0, 2^32).
 * Same as WGSL `bitcast<u32>(x)` for a float32 `x`.
 */
export function bitsOfF32(x: number): number {
  F32[0] = x;
  return U32[0];
}
