/**
 * The Keras progress bar (keras/src/utils/progbar.py, Keras 3), e.g.
 *   938/938 ━━━━━━━━━━━━━━━━━━━━ 26s 27ms/step - accuracy: 0.9075 - loss: 0.2983 - val_accuracy: 0.9583
 * Live (redrawn with \b...\r) on a terminal; one finished line per bar otherwise; verbose 2 prints
 * `938/938 - 26s - 27ms/step - ...` once. Unlike Keras, values are shown as given (running
 * means mid-epoch, the epoch's logs on the final line), so the printed numbers are the History
 * values. Part of src/nn: imports nothing outside src/nn and src/core.
 */
import { checkOptions } from '../core/internal.ts';

/**
 * Where a progress bar writes (default: process.stdout), such as a stream or a collector in tests.
 * @inline
 */
export interface ProgbarSink {
  /** Writes a piece of text. */
  write(s: string): void;
  /** Whether it is a terminal: then the bar is redrawn in place with ANSI colours; otherwise one plain line per bar. */
  isTTY: boolean;
}

/**
 * Options of the {@link Progbar} constructor.
 * @inline
 */
export interface ProgbarOptions {
  /** Total steps, or undefined if unknown. */
  target?: number;
  /** 0 silent, 1 live bar, 2 one line at the end. */
  verbose?: 0 | 1 | 2;
  /** Width of the bar in characters (default 20). */
  width?: number;
  /** Minimum seconds between redraws on a terminal (default 0.05). */
  interval?: number;
  /** The unit in the time per unit (default 'step'). */
  unitName?: string;
  /** Where to write (default process.stdout). */
  sink?: ProgbarSink;
  /** Clock in seconds (injectable for tests). */
  now?: () => number;
}

const BAR = '\u2501';

/**
 * Python's `f'{v:.{digits}f}'`. Number.prototype.toFixed rounds exact ties away from zero, Python
 * rounds them to even: 0.28125 (= 9/32, a common accuracy) is '0.2812' in Keras, not '0.2813'.
 * A tie has a terminating expansion whose digit `digits + 1` is the last non-zero one and is 5;
 * toFixed with 30 more digits is exact enough to see that for every value a bar or summary shows.
 * NaN and infinities print as Python does ('nan', 'inf', '-inf').
 */
export function formatFixed(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const rounded = v.toFixed(digits);
  if (Math.abs(v) >= 1e21) return rounded;
  const [int, frac] = Math.abs(v).toFixed(Math.min(digits + 30, 100)).split('.');
  if (frac.slice(digits) !== '5'.padEnd(frac.length - digits, '0')) return rounded;
  const kept = digits ? `${int}.${frac.slice(0, digits)}` : int;
  const lastDigit = Number(kept[kept.length - 1]);
  return lastDigit % 2 === 0 ? `${v < 0 ? '-' : ''}${kept}` : rounded;
}

/** Formats a metric value as Keras does: 4 decimals, or scientific when |v| <= 1e-3 (NaN: 'nan'). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return formatFixed(v, 4);
  if (Math.abs(v) > 1e-3) return formatFixed(v, 4);
  const [m, e] = v.toExponential(4).split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  const digits = e.replace(/^[+-]/, '').padStart(2, '0');
  return `${m}e${sign}${digits}`;
}

/** Keras's time-per-step string: " 27ms/step", " 2s/step", " 950us/step". */
export function formatTimePerUnit(t: number, unit: string): string {
  if (t >= 1 || t === 0) return ` ${formatFixed(t, 0)}s/${unit}`;
  if (t >= 1e-3) return ` ${formatFixed(t * 1000, 0)}ms/${unit}`;
  return ` ${formatFixed(t * 1e6, 0)}us/${unit}`;
}

function formatEta(eta: number): string {
  if (eta > 3600) return `${Math.trunc(eta / 3600)}:${String(Math.trunc((eta % 3600) / 60)).padStart(2, '0')}:${String(Math.trunc(eta % 60)).padStart(2, '0')}`;
  if (eta > 60) return `${Math.trunc(eta / 60)}:${String(Math.trunc(eta % 60)).padStart(2, '0')}`;
  return `${Math.trunc(eta)}s`;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * The Keras 3 progress bar (`keras.utils.Progbar`), as `fit` and `evaluate` print it:
 * `938/938 ━━━━━━━━━━━━━━━━━━━━ 26s 27ms/step - accuracy: 0.9075 - loss: 0.2983`. On a terminal it is redrawn in
 * place; otherwise it prints one finished line per bar without colour codes. Values are printed as given, with 4
 * decimals (scientific notation at or below 1e-3), rounded as Python does. Use it in your own loops.
 *
 * @example
 * ```ts
 * const bar = new dt.Progbar({ target: 100 });
 * for (let i = 1; i <= 100; i++) bar.update(i, { loss: 1 / i });
 * ```
 */
export class Progbar {
  /** Total steps; a bar started without one learns it at the end of its first epoch (as Keras's ProgbarLogger). */
  target: number | undefined;
  private readonly verbose: 0 | 1 | 2;
  private readonly width: number;
  private readonly interval: number;
  private readonly unit: string;
  private readonly sink: ProgbarSink;
  private readonly now: () => number;
  private readonly start: number;
  private values = new Map<string, number>();
  /** When the bar was last drawn (Keras: last update that was not skipped by `interval`). */
  private lastUpdate = -Infinity;
  private timeAfterFirstStep: number | undefined;
  private prevWidth = 0;

  /** @param o target, verbose, width, interval, unit name, sink (all optional) */
  constructor(o: ProgbarOptions = {}) {
    checkOptions('Progbar', o, ['target', 'verbose', 'width', 'interval', 'unitName', 'sink', 'now']);
    this.target = o.target;
    this.verbose = o.verbose ?? 1;
    this.width = o.width ?? 20;
    this.interval = o.interval ?? 0.05;
    this.unit = o.unitName ?? 'step';
    this.sink = o.sink ?? { write: (s) => process.stdout.write(s), isTTY: !!process.stdout.isTTY };
    this.now = o.now ?? (() => performance.now() / 1000);
    this.start = this.now();
  }

  /** Time per step, excluding the first (warm-up) step once there are more. */
  private stepTime(current: number, now: number): number {
    if (!current) return 0;
    const t = this.timeAfterFirstStep !== undefined && current > 1
      ? (now - this.timeAfterFirstStep) / (current - 1)
      : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return t;
  }

  /**
   * Shows step `current` with `values` (name -> value, displayed in the given order after any
   * names seen before). `finalize` (default: current >= target) draws the final line.
   */
  update(current: number, values: Record<string, number> = {}, finalize?: boolean): void {
    const fin = finalize ?? (this.target !== undefined && current >= this.target);
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
    const now = this.now();
    const perStep = this.stepTime(current, now);
    if (this.verbose === 1) {
      // As Keras: a skipped redraw does not count as an update, so frequent steps still redraw
      // every `interval` seconds (setting lastUpdate on skipped steps froze the live bar).
      if (this.sink.isTTY && now - this.lastUpdate < this.interval && !fin) return;
      this.draw(current, now, perStep, fin);
    } else if (this.verbose === 2 && fin && this.target) this.drawSummary(current, now, perStep);
    this.lastUpdate = now;
  }

  private metrics(): string {
    let s = '';
    for (const [k, v] of this.values) s += ` - ${k}: ${formatValue(v)}`;
    return s;
  }

  private draw(current: number, now: number, perStep: number, fin: boolean): void {
    const tty = this.sink.isTTY;
    if (!tty && !fin) return; // not a terminal: one finished line per bar
    let bar: string;
    if (this.target !== undefined && this.target > 0) {
      const digits = String(Math.trunc(this.target)).length;
      bar = `\x1b[1m${String(current).padStart(digits)}/${this.target}\x1b[0m `;
      const done = Math.trunc((this.width * current) / this.target);
      if (done > 0) bar += `\x1b[32m${BAR.repeat(done)}\x1b[0m`;
      bar += `\x1b[37m${BAR.repeat(Math.max(this.width - done, 0))}\x1b[0m`;
    } else {
      bar = `${String(current).padStart(7)}/Unknown`;
    }
    let info = this.target !== undefined && this.target > 0 && !fin
      ? ` \x1b[1m${formatEta(perStep * (this.target - current))}\x1b[0m`
      : ` \x1b[1m${formatFixed(now - this.start, 0)}s\x1b[0m`;
    info += formatTimePerUnit(perStep, this.unit) + this.metrics();
    const visible = (bar + info).replace(ANSI, '').length;
    let msg = tty ? '\b'.repeat(this.prevWidth) + '\r' + bar + info : bar + info;
    if (tty && this.prevWidth > visible) msg += ' '.repeat(this.prevWidth - visible);
    if (fin) msg += '\n';
    this.sink.write(tty ? msg : msg.replace(ANSI, ''));
    this.prevWidth = visible;
  }

  private drawSummary(current: number, now: number, perStep: number): void {
    const digits = String(Math.trunc(this.target!)).length;
    const line = `${String(current).padStart(digits)}/${this.target} - ${formatFixed(now - this.start, 0)}s -${formatTimePerUnit(perStep, this.unit)}${this.metrics()}\n`;
    this.sink.write(line);
  }
}
