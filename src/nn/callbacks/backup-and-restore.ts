/**
 * BackupAndRestore (Keras 3 `keras.callbacks.BackupAndRestore`) on ditto's exact resume: fit sees the callback
 * (through `withBackup`) and checkpoints into its directory, resuming from it when it holds a checkpoint; the
 * callback deletes the directory when training ends.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { existsSync, rmSync } from 'node:fs';
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import { Callback, type CallbackLike } from '../callbacks.ts';
import type { CheckpointOptions } from '../checkpoint/checkpointer.ts';
import { listCheckpoints } from '../checkpoint/layout.ts';

/** Options of {@link BackupAndRestore} (Keras's keyword arguments, camelCase). */
export interface BackupAndRestoreOptions {
  /** The directory of the backup checkpoints; no other callback or run may use it. */
  backupDir: string;
  /** 'epoch' (default): back up after every epoch; a positive integer n: after every n training batches (counted across epochs). */
  saveFreq?: 'epoch' | number;
  /** Delete `backupDir` when training ends (default true; it is kept when fit throws or the process dies). */
  deleteCheckpoint?: boolean;
}

/**
 * Backs up the training state so that a run interrupted in the middle of `fit` (an exception, a crash, kill -9)
 * continues where the last backup was taken when the program is started again with the same callback, Keras 3
 * semantics, on ditto's exact resume: `fit` writes its checkpoints (weights, optimizer state and learning rate,
 * random state, data position, metric accumulators, History, callback states) into `backupDir` after every epoch or
 * every `saveFreq` batches, and a fit that finds a checkpoint there resumes from it, so the interrupted run ends
 * with the bits of an uninterrupted one. When training ends (also when a callback stopped it), `backupDir` is
 * deleted if `deleteCheckpoint`. The program must build the same model, optimizer, callbacks and data (a Dataset
 * with the same shuffle seeds, or the same arrays) and pass the same epochs; fit refuses a checkpoint that does not
 * match. The training data must be a Dataset or arrays; `fit`'s own `checkpoint` and `resumeFrom` cannot be
 * combined with it.
 *
 * @example
 * ```ts
 * // Run it again after a crash: it continues from the last epoch backed up.
 * await model.fit(train, { epochs: 20, callbacks: [new dt.callbacks.BackupAndRestore({ backupDir: 'backup' })] });
 * ```
 */
export class BackupAndRestore extends Callback {
  /** The backup directory. */
  readonly backupDir: string;
  /** 'epoch' or a number of batches. */
  readonly saveFreq: 'epoch' | number;
  /** Whether the directory is deleted when training ends. */
  readonly deleteCheckpoint: boolean;

  /** @throws {@link ArgumentError} for an empty backupDir, a bad saveFreq or unknown options. */
  constructor(o: BackupAndRestoreOptions) {
    super();
    checkOptions('BackupAndRestore', o, ['backupDir', 'saveFreq', 'deleteCheckpoint']);
    if (!o || typeof o.backupDir !== 'string' || !o.backupDir) throw new ArgumentError(`BackupAndRestore: Empty backupDir argument passed. Received: backupDir=${JSON.stringify(o?.backupDir)}`);
    const freq = o.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isSafeInteger(freq) && (freq as number) > 0)) {
      throw new ArgumentError(`BackupAndRestore: Invalid value for argument saveFreq. Expected either 'epoch' or a positive integer. Received: saveFreq=${JSON.stringify(freq)}`);
    }
    if (o.deleteCheckpoint !== undefined && typeof o.deleteCheckpoint !== 'boolean') throw new ArgumentError(`BackupAndRestore: expected deleteCheckpoint to be a boolean. Received: ${String(o.deleteCheckpoint)}`);
    this.backupDir = o.backupDir;
    this.saveFreq = freq;
    this.deleteCheckpoint = o.deleteCheckpoint ?? true;
  }

  /** fit's `checkpoint` option for this backup. */
  checkpointOptions(): CheckpointOptions {
    return this.saveFreq === 'epoch' ? { dir: this.backupDir, everyEpoch: true } : { dir: this.backupDir, everySteps: this.saveFreq };
  }

  /** Whether the backup directory holds a checkpoint to resume from. */
  hasBackup(): boolean {
    return existsSync(this.backupDir) && listCheckpoints(this.backupDir).length > 0;
  }

  override onTrainEnd(): void {
    if (this.deleteCheckpoint && existsSync(this.backupDir)) rmSync(this.backupDir, { recursive: true, force: true });
  }
}

/**
 * fit's hook: the options with `checkpoint` (and, when the backup directory holds a checkpoint, `resumeFrom`) of
 * the BackupAndRestore among `o.callbacks`; `o` itself when there is none.
 * @throws {@link ArgumentError} for two BackupAndRestore callbacks, or one with fit's own checkpoint or resumeFrom.
 */
export function withBackup<O extends { callbacks?: CallbackLike[]; checkpoint?: CheckpointOptions; resumeFrom?: unknown }>(o: O): O {
  const backups = (o.callbacks ?? []).filter((c): c is BackupAndRestore => c instanceof BackupAndRestore);
  if (backups.length === 0) return o;
  if (backups.length > 1) throw new ArgumentError(`fit: expected at most one BackupAndRestore callback. Received: ${backups.length}`);
  if (o.checkpoint !== undefined || o.resumeFrom !== undefined) {
    throw new ArgumentError(`fit: a BackupAndRestore callback manages the checkpoints; pass neither checkpoint nor resumeFrom with it. Received: ${o.checkpoint !== undefined ? 'checkpoint' : 'resumeFrom'}`);
  }
  const b = backups[0];
  return { ...o, checkpoint: b.checkpointOptions(), ...(b.hasBackup() ? { resumeFrom: b.backupDir } : {}) };
}
