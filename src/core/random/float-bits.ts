/**
 * Bit-level views of float32 values (reinterpretation, neighbours) and exact float64 constants (2^e, hex floats).
 * Shared by every bit-exact routine of the randomness layer.
 * Part of src/core: imports nothing.
 */

const f32Buf = new Float32Array(1);
const u32OfF32 = new Uint32Array(f32Buf.buffer);
const f64Buf = new Float64Array(1);
const u32OfF64 = new Uint32Array(f64Buf.buffer);

// determinism: the word order of the float64 view below assumes a little-endian host (x86-64, ARM64).
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('float-bits: expected a little-endian host. Received: a big-endian host');
}

/** Reinterprets a float32 value (any number is first rounded with Math.fround) as its u32 bit pattern. */
export function f32ToBits(x: number): number {
  f32Buf[0] = x;
  return u32OfF32[0];
}

/** Reinterprets a u32 bit pattern as a float32 value (returned as a number). */
export function bitsToF32(bits: number): number {
  u32OfF32[0] = bits;
  return f32Buf[0];
}

/** C `nextafterf(x, toward)` on float32 values: the next float32 after x in the direction of toward. */
export function nextAfterF32(x: number, toward: number): number {
  x = Math.fround(x);
  toward = Math.fround(toward);
  if (Number.isNaN(x) || Number.isNaN(toward)) return NaN;
  if (x === toward) return toward;
  if (x === 0) return toward > 0 ? bitsToF32(1) : bitsToF32(0x80000001);
  const b = f32ToBits(x);
  const awayFromZero = (toward > x) === (x > 0);
  return bitsToF32(awayFromZero ? b + 1 : b - 1);
}

/** 2^e built from its bit pattern (exact), for integer -1022 <= e <= 1023. */
export function pow2(e: number): number {
  if (!Number.isInteger(e) || e < -1022 || e > 1023) throw new Error(`pow2: expected an integer exponent in [-1022, 1023]. Received: e=${e}`);
  u32OfF64[0] = 0;
  u32OfF64[1] = (e + 1023) << 20;
  return f64Buf[0];
}

/**
 * Parses a C99 hexadecimal floating constant such as "-0x1.62e42fefa39efp-1" exactly.
 * Used so that library constants can be written exactly as in their C sources.
 */
export function hexFloat(text: string): number {
  const m = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(text);
  if (m === null) throw new Error(`hexFloat: expected a C hex-float literal. Received: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  const digits = (m[2] + frac).replace(/^0+/, '') || '0';
  if (digits.length > 14) throw new Error(`hexFloat: expected at most 53 significant bits. Received: ${text}`);
  const mant = parseInt(digits, 16);
  if (mant > Number.MAX_SAFE_INTEGER) throw new Error(`hexFloat: expected at most 53 significant bits. Received: ${text}`);
  // determinism: mant is an exact integer and the scaling is by a power of two, so the result is exact.
  const v = mant * pow2(Number(m[4]) - 4 * frac.length);
  return m[1] === '-' ? -v : v;
}
