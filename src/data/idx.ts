/**
 * The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header (magic
 * number 0x0000 | type | rank, then one uint32 per dimension) followed by the elements. Only the
 * unsigned-byte type (0x08) is read. Reading files, including gzip-compressed ones, lives here too.
 * Part of src/data: imports src/core only (and node: builtins).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataFormatError } from '../core/internal.ts';

const gunzipAsync = promisify(gunzip);

/** The most bytes a gzip-compressed IDX file may expand to (1 GiB; MNIST's largest file is 47 MB). */
export const MAX_IDX_BYTES = 1 << 30;

/** An unsigned-byte IDX array: its dimensions and the element bytes (a view into the file). */
export interface IdxBytes {
  dims: number[];
  data: Uint8Array;
}

/** Magic number of an unsigned-byte IDX file of `rank` dimensions (2049 for rank 1, 2051 for rank 3). */
export function idxMagic(rank: number): number {
  return 0x0800 + rank;
}

/**
 * Parses an unsigned-byte IDX file of the given rank, checking the magic number, the header and the
 * exact file length. Errors name `fn` and the file (`label`) and say what was expected.
 */
export function parseIdx(fn: string, label: string, bytes: Uint8Array, rank: number): IdxBytes {
  const magic = idxMagic(rank);
  const headerBytes = 4 + 4 * rank;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) {
    throw new DataFormatError(`${fn}: ${label}: expected an IDX file starting with magic number ${magic}. Received: a file of ${bytes.length} bytes`);
  }
  const got = view.getUint32(0, false);
  if (got !== magic) throw new DataFormatError(`${fn}: ${label}: expected magic number ${magic}. Received: ${got}`);
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${fn}: ${label}: expected a ${headerBytes}-byte header. Received: a file of ${bytes.length} bytes (truncated)`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const body = dims.reduce((a, b) => a * b, 1);
  const want = headerBytes + body;
  if (bytes.length !== want) {
    const why = bytes.length < want ? 'truncated' : `${bytes.length - want} bytes of trailing data`;
    throw new DataFormatError(`${fn}: ${label}: expected ${want} bytes (${headerBytes}-byte header + ${dims.join(' x ')} elements). Received: ${bytes.length} bytes (${why})`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Reads `name` or `name.gz` from `dir`; content starting with the gzip magic bytes (1f 8b) is
 * decompressed whatever the file is called. Resolves to the bytes and the file name found.
 */
export async function readMaybeGzipped(fn: string, dir: string, name: string): Promise<{ bytes: Uint8Array; label: string }> {
  for (const label of [name, `${name}.gz`]) {
    const path = join(dir, label);
    let raw: Buffer;
    try {
      raw = await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      throw new DataFormatError(`${fn}: ${label}: expected a readable file at ${path}. Received: ${code ?? (e as Error).message}`);
    }
    if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
      try {
        // A bound on the expanded size, so a small hostile file (a "gzip bomb") cannot exhaust memory.
        raw = await gunzipAsync(raw, { maxOutputLength: MAX_IDX_BYTES });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new DataFormatError(`${fn}: ${label}: expected gzip data that expands to at most ${MAX_IDX_BYTES} bytes. Received: a stream that expands beyond that`);
        }
        throw new DataFormatError(`${fn}: ${label}: expected valid gzip data. Received: a corrupt gzip stream (${(e as Error).message})`);
      }
    }
    return { bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), label };
  }
  throw new DataFormatError(`${fn}: ${name}: expected the file ${join(dir, name)} (or ${name}.gz). Received: no such file`);
}
