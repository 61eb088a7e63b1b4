/**
 * Reading checkpoints: `readCheckpoint` verifies one directory completely (manifest present and
 * parseable, every file's length and SHA-256, the safetensors structure, the state schema, and
 * that the tensors are exactly those the state names) before returning anything;
 * `findLatestCheckpoint` scans a root newest first and returns the first valid checkpoint with the
 * reasons the newer ones were skipped, or throws a DataFormatError listing every checkpoint and
 * why it is invalid. Reading never modifies the directory.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataFormatError } from '../../core/internal.ts';
import { decodeSafetensors, type NamedArray } from '../safetensors.ts';
import { listCheckpoints, MANIFEST_FILE, parseCheckpointName, STATE_FILE, TENSORS_FILE } from './layout.ts';
import { checkFile, parseManifest } from './manifest.ts';
import { type CheckpointState, parseCheckpointState } from './state.ts';
import { expectedTensorNames } from './tensor-names.ts';

/** A verified checkpoint, fully in host memory. */
export interface LoadedCheckpoint {
  /** The directory name, e.g. `ckpt-000000200`. */
  name: string;
  /** The directory's path. */
  path: string;
  /** The global optimizer step it was saved after. */
  globalStep: number;
  /** Everything besides tensors (state.json). */
  state: CheckpointState;
  /** The tensors (tensors.safetensors): model weights, optimizer slots, metric accumulators, callback arrays. */
  tensors: Record<string, NamedArray>;
}

/** An invalid checkpoint found while scanning, and why it is invalid. */
export interface SkippedCheckpoint {
  /** The directory name. */
  name: string;
  /** The DataFormatError message that disqualified it. */
  reason: string;
}

function readBytes(path: string, what: string, source: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFormatError(`readCheckpoint: ${source}: expected ${what}. Received: ${code === 'ENOENT' ? 'no such file (incomplete or damaged checkpoint)' : (e as Error).message}`);
  }
}

/**
 * Reads and verifies the checkpoint directory `path` completely (manifest, every file's length and SHA-256, the
 * safetensors structure, the state schema, the tensors the state names) before returning anything. Never modifies
 * the directory.
 * @throws {@link DataFormatError} saying what is wrong (missing manifest, length or checksum mismatch, bad
 * safetensors, bad state, missing tensors).
 */
export function readCheckpoint(path: string): LoadedCheckpoint {
  const name = basename(path);
  const source = path;
  const parsedName = parseCheckpointName(name);
  if (!parsedName) throw new DataFormatError(`readCheckpoint: expected a checkpoint directory named ckpt-<step>. Received: ${path}`);
  const manifest = parseManifest(readBytes(join(path, MANIFEST_FILE), MANIFEST_FILE, source).toString('utf8'), source);
  const tensorBytes = readBytes(join(path, TENSORS_FILE), TENSORS_FILE, source);
  checkFile(manifest, TENSORS_FILE, tensorBytes, source);
  const stateBytes = readBytes(join(path, STATE_FILE), STATE_FILE, source);
  checkFile(manifest, STATE_FILE, stateBytes, source);
  const { tensors } = decodeSafetensors(tensorBytes, join(path, TENSORS_FILE));
  const state = parseCheckpointState(stateBytes.toString('utf8'), join(path, STATE_FILE));
  const step = state.position.globalStep;
  if (manifest.globalStep !== step || parsedName.globalStep !== step) {
    throw new DataFormatError(`readCheckpoint: ${source}: expected the directory name, manifest and state to agree on the global step. Received: name ${parsedName.globalStep}, manifest ${manifest.globalStep}, state ${step}`);
  }
  const expected = expectedTensorNames(state);
  const missing = [...expected].filter((n) => !(n in tensors));
  const extra = Object.keys(tensors).filter((n) => !expected.has(n));
  if (missing.length || extra.length) {
    throw new DataFormatError(`readCheckpoint: ${source}: expected the tensors that state.json names. Received: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`);
  }
  return { name, path, globalStep: step, state, tensors };
}

/**
 * The newest valid checkpoint in `root` and the newer invalid ones skipped on the way; null when `root` holds no
 * checkpoint directory at all. Its result can be passed to `fit`'s `resumeFrom`.
 * @throws {@link DataFormatError} when there are checkpoints but none is valid, listing each with its reason.
 */
export function findLatestCheckpoint(root: string): {
  /** The newest valid checkpoint. */
  checkpoint: LoadedCheckpoint;
  /** Newer checkpoints that failed verification, newest first. */
  skipped: SkippedCheckpoint[];
} | null {
  const entries = listCheckpoints(root);
  if (entries.length === 0) return null;
  const skipped: SkippedCheckpoint[] = [];
  for (const e of entries) {
    try {
      return { checkpoint: readCheckpoint(e.path), skipped };
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
      skipped.push({ name: e.name, reason: err.message });
    }
  }
  throw new DataFormatError(`findLatestCheckpoint: expected at least one valid checkpoint in ${root}. Received: ${entries.length} checkpoint(s), all invalid:\n${skipped.map((s) => `  ${s.name}: ${s.reason}`).join('\n')}`);
}
