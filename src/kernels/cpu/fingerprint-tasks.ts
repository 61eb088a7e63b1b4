/**
 * Op-trace fingerprints on the CPU backend's threads (Backend.fingerprint, used by dt.debug.trace): a tensor's
 * chunks of FINGERPRINT_CHUNK elements are shared out in blocks of whole chunks; each thread writes the partial
 * hashes and statistics of its chunks (float32 and uint8: the WebAssembly SIMD passes of wasm-fingerprint.ts; int32, or
 * without SIMD, src/core/debug/fingerprint.ts fingerprintChunks) into one shared array, and
 * the main thread combines them in chunk order (combineFingerprintChunks). Chunk boundaries depend only on element
 * indices, so the fingerprint is the same at every thread count and equal to the TypeScript `fingerprint` of the data.
 * Part of src/kernels/cpu: imports src/core and wasm-fingerprint.ts.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import {
  FINGERPRINT_CHUNK, FINGERPRINT_PART, type Fingerprint, combineFingerprintChunks, fingerprintChunkCount, fingerprintChunks,
} from '../../core/debug/fingerprint.ts';
import { fingerprintByteChunksSimd, fingerprintChunksSimd } from './wasm-fingerprint.ts';

/** A 'fingerprint' job: the first `n` elements of `data`, its `chunks` chunks' partials into `parts`. */
export interface FingerprintJob {
  data: TypedArray;
  dtype: DType;
  n: number;
  chunks: number;
  parts: Float64Array;
}

/** Block i of a 'fingerprint' job: chunks [i * block, (i + 1) * block). */
export function runFingerprintBlock(j: FingerprintJob, i: number, block: number): void {
  const c0 = i * block;
  const c1 = Math.min(j.chunks, c0 + block);
  if (j.dtype === 'float32' && fingerprintChunksSimd(j.data as Float32Array, j.n, c0, c1, j.parts)) return;
  if (j.dtype === 'uint8' && fingerprintByteChunksSimd(j.data as Uint8Array, j.n, c0, c1, j.parts)) return;
  fingerprintChunks(j.data, j.dtype, j.n, c0, c1, j.parts);
}

let parts = new Float64Array(new SharedArrayBuffer(256 * FINGERPRINT_PART * 8));

/** The partials array for `chunks` chunks (shared with the workers; reused: fingerprints run one at a time). */
export function fingerprintParts(chunks: number): Float64Array {
  if (parts.length < chunks * FINGERPRINT_PART) parts = new Float64Array(new SharedArrayBuffer(chunks * FINGERPRINT_PART * 8));
  return parts;
}

/** Work units per chunk for the pool's parallel threshold (an elementwise op is about 4 per element). */
export const FINGERPRINT_WORK_PER_CHUNK = 4 * FINGERPRINT_CHUNK;

export { combineFingerprintChunks, fingerprintChunkCount, type Fingerprint };
