/**
 * Writing a checkpoint durably and atomically (formats.md §6.1):
 *   1. build it in a temporary directory in the checkpoint root (`.ckpt-<step>.tmp-ditto-<pid>`):
 *      tensors.safetensors, state.json, then manifest.json (checksums), each written and fsynced;
 *   2. fsync the temporary directory, rename it to `ckpt-<step>`, fsync the root;
 *   3. verify it by reading it back completely (readCheckpoint: checksums, safetensors structure,
 *      state schema; this proves the bytes round-trip, not that the disk holds them: fsync does);
 *   4. only then delete older checkpoints beyond `keep` (and stale ones).
 * A crash before 2 leaves only a temporary (removed by cleanupTemporaries at the next start or
 * resume); after 2 the new checkpoint is complete. The previous checkpoint stays until 4.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError } from '../../core/internal.ts';
import { syncDir, temporaryPath, writeFileSynced } from '../durable-write.ts';
import { crashArmed, crashPoint } from './crash-hook.ts';
import { checkpointName, MANIFEST_FILE, STATE_FILE, TENSORS_FILE } from './layout.ts';
import { encodeManifest } from './manifest.ts';
import { readCheckpoint } from './reader.ts';
import { pruneCheckpoints, removeCheckpoint } from './retention.ts';

/** What a checkpoint save wrote (passed to `CheckpointOptions.onSaved`). */
export interface WrittenCheckpoint {
  /** The directory name, e.g. `ckpt-000000200`. */
  name: string;
  /** The directory's path. */
  path: string;
  /** The global optimizer step it was saved after. */
  globalStep: number;
  /** Total bytes of the three files. */
  bytes: number;
  /** Older or stale checkpoints deleted afterwards. */
  removed: string[];
}

export interface WriteOptions {
  /** How many checkpoints to keep, the new one included (>= 1). */
  keep: number;
  /** Names of invalid checkpoints to delete once this one is verified (see restore). */
  stale?: Set<string>;
}

/**
 * Writes the checkpoint of `globalStep` into `root` (created if needed) with the steps above.
 * A name already taken by a valid checkpoint gets the next suffix (`ckpt-<step>-1`); one taken by
 * a stale (invalid) checkpoint is replaced.
 */
export function writeCheckpoint(root: string, globalStep: number, files: { tensors: Uint8Array; state: string }, o: WriteOptions): WrittenCheckpoint {
  const stale = o.stale ?? new Set<string>();
  mkdirSync(root, { recursive: true });
  let seq = 0;
  let name = checkpointName(globalStep);
  while (existsSync(join(root, name))) {
    if (stale.has(name)) {
      removeCheckpoint(root, name);
      stale.delete(name);
      break;
    }
    name = checkpointName(globalStep, ++seq);
  }
  const path = join(root, name);
  const tmp = temporaryPath(path);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const state = Buffer.from(files.state, 'utf8');
  const manifest = encodeManifest(globalStep, { [TENSORS_FILE]: files.tensors, [STATE_FILE]: state });
  try {
    writeFileSynced(join(tmp, TENSORS_FILE), files.tensors);
    if (crashArmed('checkpoint-write', globalStep)) {
      writeFileSynced(join(tmp, STATE_FILE), state.subarray(0, state.length >> 1));
      crashPoint('checkpoint-write', globalStep);
    }
    writeFileSynced(join(tmp, STATE_FILE), state);
    writeFileSynced(join(tmp, MANIFEST_FILE), manifest);
    syncDir(tmp);
    renameSync(tmp, path);
  } catch (e) {
    // A failed write (disk full, permissions) leaves no temporary behind; the previous checkpoints stay.
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  syncDir(root);
  crashPoint('checkpoint-commit', globalStep);
  try {
    readCheckpoint(path);
  } catch (e) {
    removeCheckpoint(root, name);
    throw new DataFormatError(`writeCheckpoint: the checkpoint written to ${path} does not read back (removed; the previous ones are kept): ${(e as Error).message}`);
  }
  const removed = pruneCheckpoints(root, name, o.keep, stale);
  return { name, path, globalStep, bytes: files.tensors.length + state.length + Buffer.byteLength(manifest), removed };
}
