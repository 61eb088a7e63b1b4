/**
 * How long the command stream sleeps before a GPU wait, and what the wait teaches it (commands.ts, "Waits sleep
 * first"): a learned device rate in ns per cost unit predicts the time a wait's work still needs; the stream sleeps
 * for most of it (Dawn spins the JS thread while a GPU promise is pending, taking a core from a software driver) and
 * then awaits. The rules, each a fix for a measured misprediction (docs/performance.md, "WebGPU pacing round"):
 *  - A wait for less than MIN_LEARN_COST neither sleeps nor teaches: its fixed overhead would dominate.
 *  - A wait after pipelines were compiled (first use of a kernel) neither sleeps nor teaches, and neither does the
 *    first large wait after it (new pipelines' first runs are slower on lavapipe).
 *  - One observation moves the rate by 30% of the way to what it measured, and never above twice the rate so far
 *    (one stall of a busy machine does not make later waits oversleep); work that finished while the stream slept
 *    lowers the rate by 20%.
 * Scheduling only: no computed value depends on it. Pure (times come from the caller), so the rules are unit-tested.
 * Part of src/kernels/webgpu: imports nothing.
 */

/** Waits for less work than this (cost units; ~30 ms on lavapipe) neither sleep nor teach the rate. */
export const MIN_LEARN_COST = 1e7;
/** Fixed cost of a wait (submit, map, copy), excluded when learning the rate (ms). */
export const WAIT_OVERHEAD_MS = 0.5;
/** Predicted waits shorter than this (ms) are not worth a sleep. */
export const MIN_SLEEP_MS = 2;
/** Share of the predicted time slept before awaiting. */
export const SLEEP_FRACTION = 0.85;
/** A wait that awaited longer than this (ms) after its sleep found the work still running. */
const STILL_RUNNING_MS = 0.5;

/** What a wait does: whether it learns from its outcome, and how long it sleeps first (ms; 0: no sleep). */
export interface WaitPlan {
  readonly learn: boolean;
  /** The predicted time left (ms; 0 when nothing is predicted). */
  readonly predictedMs: number;
  readonly sleepMs: number;
}

/** The learned rate and the warm-up state of one command stream. */
export class WaitRate {
  /** Learned device time per cost unit (ns; 0: nothing learned yet). */
  nsPerUnit = 0;
  private compiledAtLastWait = 0;
  /** Waits for MIN_LEARN_COST or more since the last one that compiled pipelines. */
  private warmWaits = 0;

  /** `sleep`: whether sleeping is enabled (DITTO_WEBGPU_SLEEP). */
  constructor(private readonly sleep = true) {}

  /**
   * Plans a wait for `cost` units of work, on which the device has worked for `runningMs`; `compiled`: the pipeline
   * cache's count of compiled pipelines now.
   */
  plan(cost: number, compiled: number, runningMs: number): WaitPlan {
    const warm = compiled === this.compiledAtLastWait;
    const learn = cost >= MIN_LEARN_COST && warm && this.warmWaits > 0;
    this.warmWaits = !warm ? 0 : cost >= MIN_LEARN_COST ? this.warmWaits + 1 : this.warmWaits;
    this.compiledAtLastWait = compiled;
    const predictedMs = learn && this.nsPerUnit > 0 ? (cost * this.nsPerUnit) / 1e6 - runningMs : 0;
    const sleepMs = this.sleep && predictedMs >= MIN_SLEEP_MS ? predictedMs * SLEEP_FRACTION : 0;
    return { learn, predictedMs, sleepMs };
  }

  /**
   * Learns from a planned wait's outcome: `awaitedMs`, the time awaited after the sleep; `totalMs`, from when the
   * device started on the work to when the wait returned.
   */
  observe(plan: WaitPlan, cost: number, awaitedMs: number, totalMs: number): void {
    if (!plan.learn) return;
    if (plan.sleepMs === 0 || awaitedMs > STILL_RUNNING_MS) {
      // the work outlasted any sleep: the elapsed time (less a fixed overhead) measures it
      const observed = (Math.max(0, totalMs - WAIT_OVERHEAD_MS) * 1e6) / cost;
      this.nsPerUnit = this.nsPerUnit > 0 ? 0.7 * this.nsPerUnit + 0.3 * Math.min(observed, 2 * this.nsPerUnit) : observed;
    } else {
      this.nsPerUnit *= 0.8; // finished while sleeping: predict less next time
    }
  }
}
