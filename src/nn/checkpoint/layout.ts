/**
 * The on-disk layout of checkpoints: a root directory holding one directory per checkpoint,
 * `ckpt-<global step, 9 digits>[-<n>]`, each with `tensors.safetensors`, `state.json` and
 * `manifest.json` (written last). Names order checkpoints: by global step, then by the suffix
 * `-n` that a second checkpoint at the same step gets (the epoch-end one after a step one).
 * Part of src/nn: imports src/core only.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '../../core/internal.ts';

/** The `format` field of every checkpoint's state.json and manifest. */
export const CHECKPOINT_FORMAT = 'ditto-checkpoint';
/** The checkpoint format version this engine writes and reads. */
export const CHECKPOINT_VERSION = 1;
export const TENSORS_FILE = 'tensors.safetensors';
export const STATE_FILE = 'state.json';
export const MANIFEST_FILE = 'manifest.json';
/** The files every checkpoint holds besides the manifest. */
export const PAYLOAD_FILES = [TENSORS_FILE, STATE_FILE] as const;

/** A checkpoint directory found in a root. */
export interface CheckpointEntry {
  /** The directory name, `ckpt-<step>` or `ckpt-<step>-<n>`. */
  name: string;
  /** The directory's path (root joined with name). */
  path: string;
  /** The global optimizer step it was saved after. */
  globalStep: number;
  /** 0, or n for `ckpt-<step>-n`. */
  seq: number;
}

const NAME = /^ckpt-(\d{9,})(?:-(\d+))?$/;

/** `ckpt-000000012` (seq 0) or `ckpt-000000012-1`. */
export function checkpointName(globalStep: number, seq = 0): string {
  if (!Number.isSafeInteger(globalStep) || globalStep < 0) throw new ArgumentError(`checkpointName: expected a non-negative integer step. Received: ${globalStep}`);
  return `ckpt-${String(globalStep).padStart(9, '0')}${seq > 0 ? `-${seq}` : ''}`;
}

/** The step and suffix of a checkpoint directory name, or null for any other name. */
export function parseCheckpointName(name: string): { globalStep: number; seq: number } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { globalStep: Number(m[1]), seq: m[2] === undefined ? 0 : Number(m[2]) };
}

/** Newest first: higher step, then higher suffix. */
export function compareNewestFirst(a: CheckpointEntry, b: CheckpointEntry): number {
  return b.globalStep - a.globalStep || b.seq - a.seq;
}

/**
 * The checkpoint directories in `root`, newest first (none when `root` does not exist), without verifying them (see
 * {@link readCheckpoint}). Temporaries (names with the temp mark) and other entries are ignored.
 */
export function listCheckpoints(root: string): CheckpointEntry[] {
  if (!existsSync(root)) return [];
  const out: CheckpointEntry[] = [];
  for (const name of readdirSync(root)) {
    const parsed = parseCheckpointName(name);
    if (!parsed) continue;
    const path = join(root, name);
    if (!statSync(path).isDirectory()) continue;
    out.push({ name, path, ...parsed });
  }
  return out.sort(compareNewestFirst);
}
