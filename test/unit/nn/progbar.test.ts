/**
 * The Keras progress bar (formats.md §5.1) as exact strings, with an injected clock and sink: ANSI
 * redraws on a terminal, one plain line otherwise, verbose 2 and 0, ETA and time-per-step formats,
 * `.4f`/`.4e` values with Python's rounding (expected strings were printed by CPython), redraws at
 * most every `interval` seconds, and unknown step counts.
 */
import { describe, expect, it } from 'vitest';
import { Progbar, formatFixed, formatTimePerUnit, formatValue } from '../../../src/nn/progbar.ts';
import { RecordingSink, clock } from './helpers.ts';

const B = '\x1b[1m';
const R = '\x1b[0m';
const green = (n: number) => `\x1b[32m${'━'.repeat(n)}${R}`;
const white = (n: number) => `\x1b[37m${'━'.repeat(n)}${R}`;

/** The same sequence of updates, on any sink and verbosity (clock: start 0, then one time per update). */
function drive(sink: RecordingSink, verbose: 0 | 1 | 2): void {
  const bar = new Progbar({ target: 10, verbose, sink, now: clock([0, 0.5, 1.0, 1.02, 1.04, 1.06, 2.5]) });
  bar.update(1, { accuracy: 0.25, loss: 0.5 });
  bar.update(2, { accuracy: 0.375, loss: 0.0005 });
  bar.update(3, { accuracy: 0.375, loss: 0.4 });
  bar.update(4, { accuracy: 0.375, loss: 0.4 });
  bar.update(5, { accuracy: 0.4, loss: 0.35 });
  bar.update(10, { accuracy: 0.28125, loss: 0.00025 });
}

describe('Progbar lines', () => {
  it('on a terminal: bold count, green/white bar, ETA, \\b...\\r redraws padded to the previous width', () => {
    const sink = new RecordingSink(true);
    drive(sink, 1);
    const frames = [
      // step 1 at 0.5 s: 0.5 s/step, ETA 9 * 0.5 = 4.5 -> "4s"; visible width 74
      `\r${B} 1/10${R} ${green(2)}${white(18)} ${B}4s${R} 500ms/step - accuracy: 0.2500 - loss: 0.5000`,
      // step 2 at 1.0 s: (1.0 - 0.5) / 1 per step (the first step is excluded); width 78
      `${'\b'.repeat(74)}\r${B} 2/10${R} ${green(4)}${white(16)} ${B}4s${R} 500ms/step - accuracy: 0.3750 - loss: 5.0000e-04`,
      // steps 3 and 4 (1.02 s, 1.04 s) are within 0.05 s of the last drawn frame: skipped.
      // step 5 at 1.06 s: 0.56 / 4 = 140 ms/step; shorter than the previous frame: 4 spaces of padding
      `${'\b'.repeat(78)}\r${B} 5/10${R} ${green(10)}${white(10)} ${B}0s${R} 140ms/step - accuracy: 0.4000 - loss: 0.3500    `,
      // final at 2.5 s: elapsed 2.5 s prints "2s" (Python rounds half to even); 2.0 / 9 = 222 ms/step
      `${'\b'.repeat(74)}\r${B}10/10${R} ${green(20)}${white(0)} ${B}2s${R} 222ms/step - accuracy: 0.2812 - loss: 2.5000e-04\n`,
    ];
    expect(sink.out).toBe(frames.join(''));
  });

  it('not a terminal: only the final line, without ANSI codes', () => {
    const sink = new RecordingSink(false);
    drive(sink, 1);
    expect(sink.out).toBe('10/10 ━━━━━━━━━━━━━━━━━━━━ 2s 222ms/step - accuracy: 0.2812 - loss: 2.5000e-04\n');
  });

  it('verbose 2: one line "n/n - Ns - T/step - ..." at the end, on any sink', () => {
    for (const tty of [false, true]) {
      const sink = new RecordingSink(tty);
      drive(sink, 2);
      expect(sink.out).toBe('10/10 - 2s - 222ms/step - accuracy: 0.2812 - loss: 2.5000e-04\n');
    }
  });

  it('verbose 0 writes nothing', () => {
    const sink = new RecordingSink(true);
    drive(sink, 0);
    expect(sink.out).toBe('');
  });

  it('frequent steps still redraw every interval (a skipped redraw does not reset the interval)', () => {
    // steps every 20 ms for 200 ms with the default 50 ms interval: frames at 0, 60, 120, 180 ms
    const times = [0, ...Array.from({ length: 10 }, (_, i) => 0.02 * i)];
    const sink = new RecordingSink(true);
    const bar = new Progbar({ target: 100, sink, now: clock(times) });
    for (let i = 1; i <= 10; i++) bar.update(i, { loss: 1 });
    const frames = sink.out.split('\r').slice(1).map((f) => /\d+\/100/.exec(f.replace(/\x1b\[[0-9;]*m/g, ''))![0]);
    expect(frames).toEqual(['1/100', '4/100', '7/100', '10/100']);
  });

  it('the first update draws even with a clock starting at 0', () => {
    const sink = new RecordingSink(true);
    const bar = new Progbar({ target: 4, sink, now: clock([0, 0.001]) });
    bar.update(1, { loss: 2 });
    expect(sink.out).toBe(`\r${B}1/4${R} ${green(5)}${white(15)} ${B}0s${R} 1ms/step - loss: 2.0000`);
  });

  it('unknown target: "%7d/Unknown" and the elapsed time', () => {
    const tty = new RecordingSink(true);
    const bar = new Progbar({ sink: tty, now: clock([0, 1, 3]) });
    bar.update(1, { loss: 0.5 });
    bar.update(7, { loss: 0.25 }, true);
    expect(tty.out).toBe(`\r      1/Unknown ${B}1s${R} 1s/step - loss: 0.5000${'\b'.repeat(41)}\r      7/Unknown ${B}3s${R} 333ms/step - loss: 0.2500\n`);
    const plain = new RecordingSink(false);
    const bar2 = new Progbar({ sink: plain, now: clock([0, 1, 3]) });
    bar2.update(1, { loss: 0.5 });
    bar2.update(7, { loss: 0.25 }, true);
    expect(plain.out).toBe('      7/Unknown 3s 333ms/step - loss: 0.2500\n');
  });

  it('ETA formats: Ns, m:ss and h:mm:ss (Keras switches at > 60 s and > 3600 s)', () => {
    const eta = (target: number, perStep: number): string => {
      const sink = new RecordingSink(true);
      new Progbar({ target, sink, now: clock([0, perStep]) }).update(1);
      return sink.out.replace(/\x1b\[[0-9;]*m/g, '').trim().split(' ')[2];
    };
    expect(eta(10000, 1)).toBe('2:46:39');
    expect(eta(3601, 1)).toBe('60:00');
    expect(eta(100, 1)).toBe('1:39');
    expect(eta(61, 1)).toBe('60s');
    expect(eta(1000, 0.0599)).toBe('59s');
    expect(eta(2, 0.3)).toBe('0s');
  });
});

describe('value and time formats (expected strings printed by CPython)', () => {
  it('metric values: .4f, or .4e when |v| <= 1e-3; exact ties round half to even', () => {
    const cases: [number, string][] = [
      [0.5, '0.5000'], [1e-3, '1.0000e-03'], [0.0010001, '0.0010'], [-0.002, '-0.0020'], [0, '0.0000e+00'],
      [1.5e-4, '1.5000e-04'], [123.456789, '123.4568'], [0.28125, '0.2812'], [0.34375, '0.3438'], [0.40625, '0.4062'],
      [1e-12, '1.0000e-12'], [1.23e-100, '1.2300e-100'], [-0.0005, '-5.0000e-04'], [2.5e-4, '2.5000e-04'],
      [12345.67891, '12345.6789'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
    ];
    for (const [v, s] of cases) expect(formatValue(v), String(v)).toBe(s);
  });

  it('time per step: s/step (>= 1 s or 0), ms/step (>= 1 ms), else us/step', () => {
    const cases: [number, string][] = [
      [0, ' 0s/step'], [1, ' 1s/step'], [2.4, ' 2s/step'], [2.5, ' 2s/step'], [3.5, ' 4s/step'], [0.027, ' 27ms/step'],
      [0.001, ' 1ms/step'], [0.0025, ' 2ms/step'], [0.0125, ' 12ms/step'], [0.00095, ' 950us/step'], [4e-7, ' 0us/step'],
      [2.5e-6, ' 2us/step'], [61.7, ' 62s/step'],
    ];
    for (const [t, s] of cases) expect(formatTimePerUnit(t, 'step'), String(t)).toBe(s);
  });

  it('formatFixed agrees with Python on ties and non-ties', () => {
    const cases: [number, number, string][] = [
      [0.5, 0, '0'], [1.5, 0, '2'], [2.5, 0, '2'], [-2.5, 0, '-2'], [-0.5, 0, '-0'], [0.125, 2, '0.12'], [0.375, 2, '0.38'],
      [1.125, 2, '1.12'], [84.2890625, 2, '84.29'], [2.675, 2, '2.67'], [0.03125, 4, '0.0312'], [1e21, 2, '1e+21'],
    ];
    for (const [v, d, s] of cases) expect(formatFixed(v, d), `${v} .${d}f`).toBe(s);
  });
});
