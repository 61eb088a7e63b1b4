/**
 * Exact text forms of numbers for checkpoint JSON: a float64 as its 16-hex-digit bit pattern, so
 * that Infinity, NaN and -0 (which JSON cannot hold, or loses) round-trip bit for bit.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError } from '../../core/internal.ts';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The float64 bit pattern of `v` as 16 hex digits (most significant first). */
export function f64Hex(v: number): string {
  f64[0] = v;
  return u32[1].toString(16).padStart(8, '0') + u32[0].toString(16).padStart(8, '0');
}

/** Inverse of f64Hex; `what` names the field in the error. */
export function f64FromHex(hex: unknown, what: string): number {
  if (typeof hex !== 'string' || !/^[0-9a-f]{16}$/.test(hex)) {
    throw new DataFormatError(`f64FromHex: expected ${what} as 16 lower-case hex digits. Received: ${JSON.stringify(hex)}`);
  }
  u32[1] = parseInt(hex.slice(0, 8), 16);
  u32[0] = parseInt(hex.slice(8), 16);
  return f64[0];
}
