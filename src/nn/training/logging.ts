/**
 * Fit's logs: reading the loss and metric trackers from the device as Keras-style logs, the
 * cadence of those reads (every batch when the backend reads synchronously, the CPU, or when a
 * callback needs batch logs; else at most once per `logInterval` seconds, and at epoch end),
 * and the error that stops training on a NaN or infinite loss.
 * Part of src/nn: imports src/core only.
 */
import { NumericError, currentBackend, ops, tidy } from '../../core/internal.ts';
import { CallbackList, type CallbackLike, type Logs } from '../callbacks.ts';
import { verifyDeferredChecks } from '../deferred-checks.ts';
import type { Compiled } from './compile.ts';
import { type MetricTracker, checkScalarResult } from './metric-trackers.ts';

/** Current values of the loss tracker and metrics, keys sorted as Keras logs are. */
export async function readLogs(c: Compiled, prefix = ''): Promise<Logs> {
  const trackers: [string, MetricTracker][] = [['loss', c.lossTracker], ...c.metrics.filter((m) => m.tracker).map((m) => [m.id, m.tracker!] as [string, MetricTracker])];
  const packed = tidy(() => ops.stack(trackers.map(([id, t]) => {
    const r = t.result();
    checkScalarResult(id, r);
    return r.rank === 0 ? r : ops.reshape(r, []);
  })));
  const values = await packed.data();
  packed.dispose();
  // Input checks that could not run synchronously (e.g. label ranges on WebGPU) fail here.
  await verifyDeferredChecks();
  const logs: Logs = {};
  const sorted = trackers.map(([k], i) => [k, values[i]] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [k, v] of sorted) logs[prefix + k] = v;
  return logs;
}

/** When fit reads the running logs after a batch. */
export class LogCadence {
  private readonly syncReads: boolean;
  private readonly userWantsBatchLogs: boolean;
  private lastRead = -Infinity;

  /** `callbacks`: the user's; `interval`: the minimum seconds between reads otherwise. */
  constructor(callbacks: readonly CallbackLike[], private readonly interval: number) {
    this.userWantsBatchLogs = new CallbackList(callbacks).wantsBatchLogs();
    this.syncReads = typeof currentBackend().readSync === 'function';
  }

  /** An epoch begins: its first batch reads the logs. */
  startEpoch(): void {
    this.lastRead = -Infinity;
  }

  /** Whether to read the logs after the batch that just ended (and if so, counts it as read now). */
  due(): boolean {
    const now = performance.now() / 1000;
    if (this.syncReads || this.userWantsBatchLogs || now - this.lastRead >= this.interval) {
      this.lastRead = now;
      return true;
    }
    return false;
  }
}

/** The error fit throws when the loss becomes NaN or infinite. */
export function nanError(epoch: number, batch: number, loss: number): NumericError {
  return new NumericError(`fit: the loss became ${loss} in epoch ${epoch + 1} by batch ${batch}; training stopped (lower the learning rate, check the inputs for NaN/Inf, or add TerminateOnNaN to stop without an error)`);
}
