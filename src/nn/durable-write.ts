/**
 * Durable, atomic file writes (formats.md §6.1): write a temporary file in the same directory,
 * fsync it, rename it over the target, fsync the directory. A crash leaves either the old file or
 * the new one, never a torn one; `cleanupTemporaries` removes leftovers of interrupted writes.
 * Part of src/nn: imports only Node built-ins.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TMP_MARK = '.tmp-ditto-';

/** Writes `data` to `path` atomically and durably. */
export function writeFileDurable(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}${TMP_MARK}${process.pid}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  syncDir(dir);
}

/** fsync a directory so that a rename in it is durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes temporary files left by interrupted durable writes in `dir`; returns their names. */
export function cleanupTemporaries(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.includes(TMP_MARK)) {
      unlinkSync(join(dir, name));
      removed.push(name);
    }
  }
  return removed;
}
