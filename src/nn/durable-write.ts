/**
 * Durable, atomic file writes (formats.md §6.1): write a temporary file in the same directory,
 * fsync it, rename it over the target, fsync the directory. A crash leaves either the old file or
 * the new one, never a torn one; `cleanupTemporaries` removes leftovers of interrupted writes
 * (files, and the temporary directories that checkpoints are built in).
 * Part of src/nn: imports only Node built-ins.
 */
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Every temporary name contains this mark; `cleanupTemporaries` removes what carries it. */
export const TEMP_MARK = '.tmp-ditto-';

/**
 * The temporary sibling of `path` used while writing it: `.<name>.tmp-ditto-<pid>` in the same
 * directory (the pid only keeps two concurrent writers apart; it never reaches file contents).
 */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_MARK}${process.pid}`);
}

/** Writes `data` to `path` atomically and durably. */
export function writeFileDurable(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  const tmp = temporaryPath(path);
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

/**
 * Writes `data` to `path` (created or truncated) and fsyncs it; not atomic by itself: used for
 * files inside a temporary directory that is renamed into place as a whole.
 */
export function writeFileSynced(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(path, 'w', 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes temporaries left by interrupted durable writes in `dir` (files, and directories such
 * as half-built checkpoints, with their contents); returns their names, sorted.
 */
export function cleanupTemporaries(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.includes(TEMP_MARK)) continue;
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) rmSync(p, { recursive: true, force: true });
    else unlinkSync(p);
    removed.push(name);
  }
  if (removed.length) syncDir(dir);
  return removed;
}
