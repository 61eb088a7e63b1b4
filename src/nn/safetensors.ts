/**
 * The safetensors format (https://github.com/huggingface/safetensors): 8-byte little-endian header
 * length N, N bytes of JSON header, then the data buffer. Written canonically so the same tensors
 * give the same bytes: tensors sorted by name, ascending contiguous offsets, `__metadata__` first,
 * header padded with spaces to a multiple of 8. Reading validates everything (header bounds and
 * JSON, dtypes, shapes, offsets without holes or overlaps) and raises DataFormatError otherwise.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError } from '../core/internal.ts';

/**
 * The safetensors dtype tags ditto reads and writes: 'F32', 'I32', 'U8'.
 * @inline
 */
export type SafetensorsDType = 'F32' | 'I32' | 'U8';

/**
 * One tensor of a safetensors file, in host memory.
 * @inline
 */
export interface NamedArray {
  /** 'F32', 'I32' or 'U8'. */
  dtype: SafetensorsDType;
  /** Row-major shape. */
  shape: number[];
  /** The values, as many as the shape has elements. */
  data: Float32Array | Int32Array | Uint8Array;
}

const SIZE: Record<SafetensorsDType, number> = { F32: 4, I32: 4, U8: 1 };
const MAX_HEADER = 100_000_000;

/**
 * Serializes `tensors` as a safetensors file, canonically: tensors sorted by name, contiguous ascending offsets,
 * `__metadata__` (string values only) first, the header padded with spaces to a multiple of 8. The same tensors give
 * the same bytes.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} for a non-string metadata value or data whose length does not match its shape.
 */
export function encodeSafetensors(tensors: Record<string, NamedArray>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(metadata).sort()) {
      if (typeof metadata[k] !== 'string') throw new DataFormatError(`encodeSafetensors: expected string metadata values. Received: ${k}=${typeof metadata[k]}`);
      sorted[k] = metadata[k];
    }
    header.__metadata__ = sorted;
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== n) throw new DataFormatError(`encodeSafetensors: tensor '${name}' has ${t.data.length} elements but shape [${t.shape.join(', ')}]`);
    const bytes = n * SIZE[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const name of names) {
    const d = tensors[name].data;
    const b = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    out.set(b, p); // typed arrays are little-endian on every platform Node supports
    p += b.length;
  }
  return out;
}

/**
 * What {@link decodeSafetensors} returns.
 * @inline
 */
export interface DecodedSafetensors {
  /** The tensors by name. */
  tensors: Record<string, NamedArray>;
  /** The `__metadata__` entries ({} when absent). */
  metadata: Record<string, string>;
}

/**
 * Parses and validates a safetensors file (header bounds and JSON, dtypes, shapes, offsets without holes or
 * overlaps); `source` names it in error messages.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} for anything malformed.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): DecodedSafetensors {
  const fail = (what: string): never => {
    throw new DataFormatError(`loadSafetensors: ${source}: ${what}`);
  };
  if (bytes.length < 8) fail(`expected at least 8 bytes. Received: ${bytes.length} bytes (truncated file?)`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) fail(`expected a header length <= ${Math.min(MAX_HEADER, bytes.length - 8)}. Received: ${n}`);
  const headerBytes = bytes.subarray(8, 8 + Number(n));
  if (headerBytes[0] !== 0x7b) fail("expected the JSON header to start with '{'");
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerBytes).toString('utf8').trimEnd());
  } catch (e) {
    return fail(`expected a JSON header. Received: invalid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + Number(n);
  const dataLen = bytes.length - dataStart;
  // Maps without a prototype: a tensor (or metadata key) named __proto__, constructor or toString is
  // an entry like any other, never the map's prototype or an inherited method.
  const metadata: Record<string, string> = Object.create(null);
  const entries: [string, { dtype: SafetensorsDType; shape: number[]; start: number; end: number }][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`expected __metadata__ to be a string-to-string map. Received: ${JSON.stringify(raw)}`);
      for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`expected string metadata values. Received: ${k}=${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`tensor '${name}': expected an object { dtype, shape, data_offsets }. Received: ${JSON.stringify(raw)}`);
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== 'F32' && e.dtype !== 'I32' && e.dtype !== 'U8') fail(`tensor '${name}': expected dtype F32, I32 or U8. Received: ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor '${name}': expected a shape of non-negative integers. Received: ${JSON.stringify(e.shape)}`);
    const off = e.data_offsets as unknown[];
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && (o as number) >= 0) || (off[0] as number) > (off[1] as number)) {
      fail(`tensor '${name}': expected data_offsets [begin, end]. Received: ${JSON.stringify(e.data_offsets)}`);
    }
    const dtype = e.dtype as SafetensorsDType;
    const shape = e.shape as number[];
    const want = shape.reduce((a, b) => a * b, 1) * SIZE[dtype];
    const [start, end] = off as number[];
    if (end - start !== want) fail(`tensor '${name}': expected ${want} bytes for ${dtype}[${shape.join(', ')}]. Received: data_offsets [${start}, ${end}]`);
    entries.push([name, { dtype, shape, start, end }]);
  }
  entries.sort((a, b) => a[1].start - b[1].start || a[1].end - b[1].end);
  let cursor = 0;
  for (const [name, e] of entries) {
    if (e.start !== cursor) fail(`tensor '${name}': expected data to start at byte ${cursor} (no holes or overlaps). Received: ${e.start}`);
    cursor = e.end;
  }
  if (cursor !== dataLen) fail(`expected ${cursor} bytes of tensor data. Received: ${dataLen} bytes (truncated or padded file?)`);
  const tensors: Record<string, NamedArray> = Object.create(null);
  for (const [name, e] of entries) {
    // A copy with its own aligned buffer: `bytes` may be a Node Buffer, whose slice() is a view
    // into a larger (pooled) ArrayBuffer, so `slice.buffer` would not be this tensor's bytes.
    const slice = new Uint8Array(bytes.subarray(dataStart + e.start, dataStart + e.end));
    const data = e.dtype === 'F32' ? new Float32Array(slice.buffer) : e.dtype === 'I32' ? new Int32Array(slice.buffer) : slice;
    tensors[name] = { dtype: e.dtype, shape: e.shape, data };
  }
  return { tensors, metadata };
}
