/**
 * Fit's per-step series ({@link History.steps}): after every optimizer step the running values of the loss tracker
 * and the metrics are stacked on the device (no read), and read back together when the epoch ends or a checkpoint
 * is saved. Every step is recorded on every backend, so the series is the same on the CPU and on WebGPU, whatever
 * the cadence of the progress bar's log reads.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, ops, tidy } from '../../core/internal.ts';
import type { History } from '../history.ts';
import type { Compiled } from './compile.ts';
import { type MetricTracker, checkScalarResult } from './metric-trackers.ts';

/** The per-step running logs of one fit, kept on the device until {@link StepSeries.flush}. */
export class StepSeries {
  private pending: { step: number; keys: string[]; values: Tensor }[] = [];

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
    this.pending.push({ step, keys: trackers.map(([k]) => k), values });
  }

  /** Reads the kept logs (one device read) and appends them to `history.steps`. */
  async flush(history: History): Promise<void> {
    const p = this.pending;
    if (!p.length) return;
    this.pending = [];
    let data: Float32Array;
    try {
      const all = tidy(() => ops.concat(p.map((x) => x.values), 0));
      data = (await all.data()) as Float32Array;
      all.dispose();
    } finally {
      for (const x of p) x.values.dispose();
    }
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
    for (const x of this.pending) x.values.dispose();
    this.pending = [];
  }
}
