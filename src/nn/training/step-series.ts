/**
 * Fit's per-step series ({@link History.steps}): after every optimizer step the running values of the loss tracker
 * and the metrics are stacked on the device (no read), and read back together when the epoch ends or a checkpoint
 * is saved. Every step is recorded on every backend, so the series is the same on the CPU and on WebGPU, whatever
 * the cadence of the progress bar's log reads.
 * The values are appended to one chunk tensor (concat; the old chunk disposed) until it would exceed
 * {@link CHUNK_VALUES} elements, rather than kept as one small tensor per step: a tensor held per step took one more
 * buffer out of the backend's pool every step, so the buffers every later op got shifted from step to step, and on
 * WebGPU about 55 of a step's 170 dispatches bound a new set of buffers (a new bind group: 15-40 us each). A chunk
 * that is replaced every step leaves the pool as it was. Full chunks are appended to one tensor of all earlier values
 * (concat, the old one disposed) rather than kept one by one: a full chunk kept took a 256-byte buffer, the class of
 * every scalar, out of the pool every 32 steps, and the step after created about 55 bind groups, their number falling
 * back only over the next 30 steps; the growing tensor moves through larger size classes, which few ops use.
 * Each chunk starts with {@link PAD} zeros (skipped when read): a chunk of 65-128 floats lives in the 512-byte size
 * class, which no scalar uses, instead of the 256-byte class of every scalar; without them the chunk replaced every step
 * took another 256-byte buffer each step and so shifted which buffers the step's scalars (the loss and metric totals)
 * got, and on WebGPU about 5 of a step's dispatches bound a new set of buffers even after hundreds of steps.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, ops, tidy } from '../../core/internal.ts';
import type { History } from '../history.ts';
import type { Compiled } from './compile.ts';
import { type MetricTracker, checkScalarResult } from './metric-trackers.ts';

/** Values per chunk (two a step: 32 steps). */
const CHUNK_VALUES = 64;
/** Zeros ahead of each chunk's values: PAD + 1..CHUNK_VALUES float32 are 260-512 bytes (see above). */
const PAD = 64;

/** The per-step running logs of one fit, kept on the device until {@link StepSeries.flush}. */
export class StepSeries {
  /** The steps kept, in order, with their keys (their values follow each other in the chunks). */
  private pending: { step: number; keys: string[] }[] = [];
  /**
   * The full chunks, in one tensor, and the chunk being appended to (null: none yet), each chunk PAD zeros and then
   * its values; how many values each chunk in `full` holds, and the current chunk.
   */
  private full: Tensor | null = null;
  private chunk: Tensor | null = null;
  private fullCounts: number[] = [];
  private chunkCount = 0;

  constructor(private readonly c: Compiled) {}

  /** Keeps the running logs after global step `step` (from 1) on the device. */
  add(step: number): void {
    const trackers: [string, MetricTracker][] = [['loss', this.c.lossTracker], ...this.c.metrics.filter((m) => m.tracker).map((m) => [m.id, m.tracker!] as [string, MetricTracker])];
    // As readLogs reads them (logging.ts): every result a scalar.
    const values = tidy(() => ops.stack(trackers.map(([id, t]) => {
      const r = t.result();
      checkScalarResult(id, r);
      return r.rank === 0 ? r : ops.reshape(r, []);
    })));
    const chunk = this.chunk;
    if (chunk !== null && this.chunkCount + values.size <= CHUNK_VALUES) {
      this.chunk = tidy(() => ops.concat([chunk, values], 0));
      this.chunkCount += values.size;
      chunk.dispose();
      values.dispose();
    } else {
      if (chunk !== null) {
        const full = this.full;
        if (full === null) this.full = chunk;
        else {
          this.full = tidy(() => ops.concat([full, chunk], 0));
          full.dispose();
          chunk.dispose();
        }
        this.fullCounts.push(this.chunkCount);
      }
      this.chunk = tidy(() => ops.concat([ops.zeros([PAD]), values], 0));
      this.chunkCount = values.size;
      values.dispose();
    }
    this.pending.push({ step, keys: trackers.map(([k]) => k) });
  }

  /**
   * The chunks (all values kept, in step order), handed over with the number of values in each chunk they hold (each
   * after PAD zeros): the series holds none afterwards.
   */
  private takeChunks(): { tensors: Tensor[]; counts: number[] } {
    const tensors: Tensor[] = [];
    const counts = this.fullCounts;
    if (this.full !== null) tensors.push(this.full);
    if (this.chunk !== null) {
      tensors.push(this.chunk);
      counts.push(this.chunkCount);
    }
    this.full = null;
    this.chunk = null;
    this.fullCounts = [];
    this.chunkCount = 0;
    return { tensors, counts };
  }

  /** Reads the kept logs (one device read) and appends them to `history.steps`. */
  async flush(history: History): Promise<void> {
    const p = this.pending;
    if (!p.length) return;
    this.pending = [];
    const { tensors, counts } = this.takeChunks();
    let read: Float32Array;
    try {
      const all = tidy(() => ops.concat(tensors, 0));
      read = (await all.data()) as Float32Array;
      all.dispose();
    } finally {
      for (const c of tensors) c.dispose();
    }
    // the values without each chunk's leading zeros
    const data = new Float32Array(counts.reduce((a, n) => a + n, 0));
    let from = 0;
    let to = 0;
    for (const n of counts) {
      data.set(read.subarray(from + PAD, from + PAD + n), to);
      from += PAD + n;
      to += n;
    }
    if (from !== read.length) throw new Error(`StepSeries.flush: read ${read.length} values, expected ${from} (internal error)`);
    let at = 0;
    for (const x of p) {
      const logs: Record<string, number> = {};
      const order = x.keys.map((k, i) => [k, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [k, i] of order) logs[k] = data[at + i];
      at += x.keys.length;
      history.recordStep(x.step, logs);
    }
  }

  /** Releases what was not read (fit stopped by an error). */
  dispose(): void {
    for (const c of this.takeChunks().tensors) c.dispose();
    this.pending = [];
  }
}
