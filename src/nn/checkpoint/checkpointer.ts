/**
 * Checkpointing as fit uses it: checking `fit(..., { checkpoint, resumeFrom })`, preparing the
 * checkpoint root (temporaries cleaned; a fresh run refuses a root that already holds checkpoints,
 * so that a later resume cannot pick up another run's), opening the checkpoint to resume from
 * (newest valid; invalid newer ones are reported and replaced by the resumed run's own), and
 * deciding when to save: `everySteps` after every n-th optimizer step of the fit (counted across
 * epochs and resumes), `everyEpoch` after each epoch's validation and callbacks.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ArgumentError, DataFormatError, checkOptions } from '../../core/internal.ts';
import { cleanupTemporaries } from '../durable-write.ts';
import { captureCheckpoint } from './capture.ts';
import { listCheckpoints } from './layout.ts';
import { findLatestCheckpoint, type LoadedCheckpoint, type SkippedCheckpoint } from './reader.ts';
import type { RunPosition, TrainingRun } from './training-run.ts';
import { writeCheckpoint, type WrittenCheckpoint } from './writer.ts';

/**
 * `fit(data, { checkpoint })`: where and when to save exact-resume checkpoints. Each checkpoint is a directory
 * `ckpt-<step>` holding `tensors.safetensors`, `state.json` and `manifest.json` (SHA-256 of both), written to a
 * temporary directory, fsynced and renamed, then read back and verified before older ones are deleted. Needs a
 * Dataset as training data. At least one of `everySteps` and `everyEpoch` is required.
 */
export interface CheckpointOptions {
  /** The checkpoint root: one `ckpt-<step>` directory per checkpoint. */
  dir: string;
  /** Save after every n-th optimizer step of this fit (global count, not per epoch). */
  everySteps?: number;
  /** Save after each epoch, once validation and the callbacks' onEpochEnd have run. */
  everyEpoch?: boolean;
  /** Checkpoints to keep, the newest included (default 2: the new one and the previous one). */
  keep?: number;
  /** Called after each checkpoint is written, verified and older ones pruned. */
  onSaved?: (written: WrittenCheckpoint) => void | Promise<void>;
}

/** What `resumeFrom` accepts: a checkpoint root, or what findLatestCheckpoint / readCheckpoint returned. */
export type ResumeSource = string | LoadedCheckpoint | {
  /** The checkpoint to resume from. */
  checkpoint: LoadedCheckpoint;
  /** Newer invalid checkpoints (deleted once the resumed run has written its own). */
  skipped: SkippedCheckpoint[];
};

/** The checkpoint to resume from, and the invalid newer ones skipped (with reasons). */
export interface OpenedResume {
  checkpoint: LoadedCheckpoint;
  skipped: SkippedCheckpoint[];
  root: string;
}

/**
 * Resolves `resumeFrom`: for a root, removes stale temporaries, then loads the newest valid
 * checkpoint, warning (console.warn) about each invalid newer one. Throws DataFormatError when the
 * root holds no checkpoint or none is valid (listing each and why).
 */
export function openResume(src: ResumeSource): OpenedResume {
  if (typeof src === 'string') {
    if (existsSync(src)) cleanupTemporaries(src);
    const found = findLatestCheckpoint(src);
    if (!found) throw new DataFormatError(`fit: resumeFrom: expected a checkpoint (ckpt-<step> directory) in ${src}. Received: ${existsSync(src) ? 'none' : 'no such directory'}`);
    for (const s of found.skipped) console.warn(`fit: resumeFrom: skipped invalid checkpoint ${s.name}: ${s.reason}`);
    return { ...found, root: src };
  }
  const given = src && typeof src === 'object' && 'checkpoint' in src ? src : src && typeof src === 'object' && 'state' in src && 'tensors' in src ? { checkpoint: src, skipped: [] } : undefined;
  if (given) {
    const root = dirname(given.checkpoint.path);
    if (existsSync(root)) cleanupTemporaries(root);
    return { checkpoint: given.checkpoint, skipped: given.skipped, root };
  }
  throw new ArgumentError(`fit: expected resumeFrom to be a checkpoint directory or a checkpoint from findLatestCheckpoint. Received: ${typeof src}`);
}

/** Saves checkpoints during one fit. */
export class Checkpointer {
  readonly dir: string;
  readonly everySteps: number;
  readonly everyEpoch: boolean;
  readonly keep: number;
  private readonly stale: Set<string>;

  /**
   * Checks the options and prepares `o.dir`. `resumed` is the resume in progress, if any: its
   * invalid newer checkpoints are deleted after the first checkpoint this run writes there.
   */
  constructor(private readonly o: CheckpointOptions, resumed?: OpenedResume) {
    if (!o || typeof o !== 'object' || typeof o.dir !== 'string' || !o.dir) {
      throw new ArgumentError(`fit: expected checkpoint to be { dir, everySteps?, everyEpoch? } with a directory. Received: ${JSON.stringify(o)}`);
    }
    checkOptions('fit: checkpoint', o, ['dir', 'everySteps', 'everyEpoch', 'keep', 'onSaved']);
    const every = o.everySteps ?? 0;
    if (!Number.isSafeInteger(every) || every < 0) throw new ArgumentError(`fit: expected checkpoint.everySteps to be a positive integer. Received: ${o.everySteps}`);
    if (o.everyEpoch !== undefined && typeof o.everyEpoch !== 'boolean') throw new ArgumentError(`fit: expected checkpoint.everyEpoch to be a boolean. Received: ${String(o.everyEpoch)}`);
    const keep = o.keep ?? 2;
    if (!Number.isSafeInteger(keep) || keep < 1) throw new ArgumentError(`fit: expected checkpoint.keep to be an integer >= 1. Received: ${o.keep}`);
    if (every === 0 && !o.everyEpoch) throw new ArgumentError('fit: expected checkpoint.everySteps (a positive integer) or checkpoint.everyEpoch: true. Received: neither (no checkpoint would be written)');
    this.dir = o.dir;
    this.everySteps = every;
    this.everyEpoch = o.everyEpoch ?? false;
    this.keep = keep;
    mkdirSync(o.dir, { recursive: true });
    cleanupTemporaries(o.dir);
    const sameRoot = resumed !== undefined && resolve(resumed.root) === resolve(o.dir);
    const existing = listCheckpoints(o.dir);
    if (existing.length > 0 && !sameRoot) {
      throw new ArgumentError(`fit: checkpoint.dir ${o.dir} already holds checkpoints (${existing.map((e) => e.name).join(', ')}); pass resumeFrom: '${o.dir}' to continue from them, or use an empty directory`);
    }
    this.stale = new Set(sameRoot ? resumed!.skipped.map((s) => s.name) : []);
  }

  /**
   * Whether to save after global step `globalStep`, the `step`-th of its epoch: every n-th step,
   * except the epoch's last when an epoch-end checkpoint follows at once (same step, later state).
   */
  dueAfterStep(globalStep: number, step: number, stepsPerEpoch: number | null): boolean {
    if (this.everySteps === 0 || globalStep % this.everySteps !== 0) return false;
    return !(this.everyEpoch && stepsPerEpoch !== null && step === stepsPerEpoch);
  }

  /** Captures, writes, verifies and prunes; then calls onSaved. */
  async save(run: TrainingRun, pos: RunPosition): Promise<WrittenCheckpoint> {
    const files = await captureCheckpoint(run, pos);
    const written = writeCheckpoint(this.dir, pos.globalStep, files, { keep: this.keep, stale: this.stale });
    await this.o.onSaved?.(written);
    return written;
  }
}
