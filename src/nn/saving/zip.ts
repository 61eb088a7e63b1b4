/**
 * Zip archives in memory, through fflate: a small (8 kB), dependency-free, widely used zip
 * implementation with synchronous reading (stored and deflated entries, with CRC checks) and writing.
 * Chosen over yauzl/yazl (two packages, callback streams, reading only for yauzl) and over a writer
 * of our own on node:zlib (Node 20's zlib has no crc32, and the reader would be ours to maintain).
 * Keras writes `.keras` archives with stored (uncompressed) entries; ditto writes them the same way.
 * Part of src/nn: imports src/core only.
 */
import { unzipSync, zipSync } from 'fflate';
import { DataFormatError } from '../../core/internal.ts';

/**
 * The entries of a zip archive (name -> bytes), only those `wanted` says to extract (default all).
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming `source` when the bytes are not a readable zip
 * archive (not a zip, truncated, a CRC mismatch, a compression method other than stored or deflate).
 */
export function readZip(bytes: Uint8Array, source: string, wanted: (name: string) => boolean = () => true): Map<string, Uint8Array> {
  let unsupported: string | undefined;
  try {
    const entries = unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name)) return false;
        if (f.compression !== 0 && f.compression !== 8) unsupported ??= `${f.name} uses compression method ${f.compression}`;
        return unsupported === undefined;
      },
    });
    if (unsupported) throw new Error(unsupported);
    return new Map(Object.entries(entries));
  } catch (e) {
    throw new DataFormatError(`${source}: expected a zip archive. Received: ${bytes.length} bytes that are not a readable zip (${(e as Error).message})`);
  }
}

/** A zip archive of `entries` in the given order, stored (no compression), dated `date`. */
export function writeZip(entries: readonly (readonly [string, Uint8Array])[], date: Date): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  for (const [name, data] of entries) files[name] = [data, { level: 0, mtime: date }];
  return zipSync(files);
}
