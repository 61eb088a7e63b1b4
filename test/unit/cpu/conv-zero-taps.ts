/**
 * The convolutions' skipping of the taps without an input row (gemm-tasks.ts "Zero taps"; only
 * when the filter is all finite): conv2dGradInput (taps without a dy row) and conv2d /
 * conv2dBiasAct on the packed path (taps in the padding rows) give the bits of the full loop
 * (conv2d.ts setZeroTapSkip(false)) and of the frozen v1 kernels (test/reference/cpu-v1; no
 * dilations) for many geometries: 'valid' and 'same', strides 1-2 (and 3), dilations 1-2, odd
 * sizes, batch 1 and several, F and C not multiples of 4, K = kH*kW*F below, across 256 and 512
 * (F = 64 with 3x3: K = 576), across K-blocks (K = 1152) and past 65536 (three tree levels; SIMD only), split-K
 * jobs, and dy and x with
 * NaN/Inf/-0; with 1 and 2 threads, every job parallel. Filters with Inf or NaN (and -0,
 * subnormals) must take the full loop and give its bits (a dropped +0 * Inf would lose the NaN);
 * finite filters with -0 and subnormals skip.
 * Outputs start NaN-filled, so an output the path misses shows up. NaN outputs must be NaN (sign
 * and payload not compared, helpers.ts firstDifference); every other bit pattern must match.
 * A module of suites, imported by conv-zero-taps.test.ts (WebAssembly SIMD micro-kernel) and
 * conv-zero-taps-scalar.test.ts (DITTO_CPU_WASM=0: the scalar one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lastZeroTapSkip, setZeroTapSkip } from '../../../src/kernels/cpu/conv2d.ts';
import { gemmKernelKind, planGemm } from '../../../src/kernels/cpu/gemm-tasks.ts';
import { CPU_KERNELS } from '../../../src/kernels/cpu/kernels.ts';
import { convWindow2d } from '../../../src/core/ops/window.ts';
import * as v1conv from '../../reference/cpu-v1/conv2d.ts';
import { poolWithEveryJobParallel } from '../../util/cpu-every-job-parallel.ts';
import { type Info, Rng, firstDifference, outputInfo, randomInfo } from './helpers.ts';

type AnyKernel = (inputs: readonly Info[], attrs: never, out: Info) => void;
const NEW = CPU_KERNELS as unknown as Record<string, AnyKernel>;
const LOOPS = gemmKernelKind() === 'simd' ? 'SIMD micro-kernel' : 'scalar micro-kernel';

interface Case { x: number[]; w: number[]; s: [number, number]; p: 'valid' | 'same'; d?: [number, number]; special?: number }

/** Geometries (x = dx's shape [n, inH, inW, C], w = [kH, kW, C, F]). */
export function zeroTapCases(): Case[] {
  const rng = new Rng(1515);
  const out: Case[] = [];
  while (out.length < 36) {
    const d: [number, number] = out.length % 4 === 3 ? [rng.int(1, 2), rng.int(1, 2)] : [1, 1];
    const w = [rng.int(1, 5), rng.int(1, 4), rng.int(1, 11), rng.int(1, 41)];
    const x = [rng.int(1, 3), rng.int(1, 17), rng.int(1, 17), w[2]];
    const p = rng.pick(['valid', 'same'] as const);
    if (p === 'valid' && (x[1] < (w[0] - 1) * d[0] + 1 || x[2] < (w[1] - 1) * d[1] + 1)) continue;
    out.push({ x, w, s: [rng.int(1, 2), rng.int(1, 2)], p, d: d[0] * d[1] > 1 ? d : undefined, special: out.length % 6 === 5 ? 0.03 : undefined });
  }
  // the reference CNN's layers 2 and 3 (K = 288: two chunks)
  out.push({ x: [4, 15, 15, 32], w: [3, 3, 32, 32], s: [1, 1], p: 'valid' });
  out.push({ x: [5, 6, 6, 32], w: [3, 3, 32, 32], s: [1, 1], p: 'valid' });
  // K = 576 (F = 64: three chunks, the last partial), C and F odd, 'same'
  out.push({ x: [2, 11, 9, 7], w: [3, 3, 7, 64], s: [1, 1], p: 'valid' });
  out.push({ x: [3, 9, 13, 5], w: [3, 3, 5, 64], s: [1, 1], p: 'same' });
  out.push({ x: [2, 12, 11, 9], w: [3, 3, 9, 65], s: [2, 1], p: 'valid', d: [1, 2] });
  // K = 1152 (F = 128): K-blocks of 512 terms, tap ranges of 384 terms across them
  out.push({ x: [2, 10, 9, 6], w: [3, 3, 6, 128], s: [1, 1], p: 'valid' });
  out.push({ x: [1, 13, 12, 3], w: [3, 3, 3, 128], s: [2, 2], p: 'same', d: [2, 1] });
  // strides 2-3 with 'valid': image rows with no tap at all (a panel of them: +0 totals)
  out.push({ x: [3, 17, 8, 5], w: [2, 2, 5, 13], s: [3, 3], p: 'valid' });
  out.push({ x: [2, 16, 4, 3], w: [1, 3, 3, 9], s: [3, 1], p: 'valid' });
  out.push({ x: [2, 15, 15, 6], w: [5, 5, 6, 21], s: [2, 2], p: 'valid', d: [2, 2] });
  // tall filters, rows straddling images (inW < 4), batch of 1
  out.push({ x: [4, 9, 3, 5], w: [5, 3, 5, 19], s: [1, 1], p: 'valid' });
  out.push({ x: [1, 23, 2, 11], w: [7, 1, 11, 37], s: [1, 1], p: 'same' });
  out.push({ x: [6, 5, 1, 3], w: [4, 1, 3, 10], s: [1, 1], p: 'valid' });
  // conv2d 'same' with many input channels: K = kH*kW*C = 360 (C % 4 = 0: packt), 630 (split-K),
  // 1080 (K-blocks of 512), 2 x 5 taps with C = 33
  out.push({ x: [2, 9, 11, 40], w: [3, 3, 40, 8], s: [1, 1], p: 'same' });
  out.push({ x: [1, 8, 7, 70], w: [3, 3, 70, 5], s: [1, 1], p: 'same', special: 0.01 });
  out.push({ x: [2, 12, 12, 120], w: [3, 3, 120, 64], s: [1, 1], p: 'same' });
  out.push({ x: [3, 7, 10, 33], w: [2, 5, 33, 17], s: [2, 1], p: 'same', d: [2, 1] });
  return out;
}

/** dy's shape for a case. */
function dyShape(c: Case): number[] {
  const g = convWindow2d('test', c.x, [c.w[0], c.w[1]], c.s, c.p, c.d);
  return [g.n, g.outH, g.outW, c.w[3]];
}

const attrsOf = (c: Case): object => ({ strides: c.s, padding: c.p, inputShape: c.x, ...(c.d ? { dilations: c.d } : {}) });
const nameOf = (c: Case): string => `dx [${c.x}] w [${c.w}] s ${c.s} ${c.p} d ${c.d ?? [1, 1]}`;

/** conv2dGradInput with skipping on or off into a NaN-filled output; returns it and whether the call skipped. */
function gradInput(skip: boolean, dy: Info, w: Info, c: Case): { out: Info; skipped: boolean } {
  setZeroTapSkip(skip);
  const out = outputInfo(c.x, 'float32', true);
  NEW.conv2dGradInput([dy, w], attrsOf(c) as never, out);
  return { out, skipped: lastZeroTapSkip() };
}

const fwdAttrs = (c: Case): object => ({ strides: c.s, padding: c.p, ...(c.d ? { dilations: c.d } : {}) });

/** conv2d (b null) or conv2dBiasAct with relu with skipping on or off into a NaN-filled output. */
function forward(skip: boolean, x: Info, w: Info, b: Info | null, c: Case): { out: Info; skipped: boolean } {
  setZeroTapSkip(skip);
  const out = outputInfo(dyShape(c), 'float32', true);
  if (b) NEW.conv2dBiasAct([x, w, b], { ...fwdAttrs(c), activation: 'relu' } as never, out);
  else NEW.conv2d([x, w], fwdAttrs(c) as never, out);
  return { out, skipped: lastZeroTapSkip() };
}

function expectSame(a: Info, b: Info, what: string): void {
  expect(firstDifference(a.handle, b.handle, true), what).toBeNull();
}

export function zeroTapSuites(): void {
  describe(`conv2dGradInput without the taps that have no dy row (${LOOPS})`, () => {
    afterEach(() => setZeroTapSkip(true));

    it('the cases include split-K jobs, K-blocks and reductions across 256 and 512', () => {
      const Ks = zeroTapCases().map((c) => c.w[0] * c.w[1] * c.w[3]);
      expect(Ks.some((K) => K > 256 && K < 512)).toBe(true);
      expect(Ks.some((K) => K > 512 && K <= 1024)).toBe(true);
      expect(Ks.some((K) => K > 1024)).toBe(true);
      const split = zeroTapCases().filter((c) => planGemm(1, c.x[0] * c.x[1] * c.x[2], c.x[3], c.w[0] * c.w[1] * c.w[3], 2).splitK);
      expect(split.length).toBeGreaterThan(0);
      // conv2d: 'same' cases with K = kH*kW*C across 256, split-K, and in K-blocks
      const plans = zeroTapCases().filter((c) => c.p === 'same').map((c) => {
        const y = dyShape(c);
        return { K: c.w[0] * c.w[1] * c.w[2], plan: planGemm(1, y[0] * y[1] * y[2], c.w[3], c.w[0] * c.w[1] * c.w[2], 2) };
      });
      expect(plans.some((p) => p.K > 256 && !p.plan.splitK)).toBe(true);
      expect(plans.some((p) => p.K > 256 && p.plan.splitK)).toBe(true);
      expect(plans.some((p) => !p.plan.splitK && p.plan.Kc < p.K)).toBe(true);
    });

    for (const threads of [1, 2]) {
      describe(`${threads} thread${threads > 1 ? 's' : ''}, every job parallel`, () => {
        poolWithEveryJobParallel(threads);

        // K = 9 * 7300 = 65700 terms (three tree levels: gemm-tasks.ts pushLevel), a job too large for split-K
        it.skipIf(gemmKernelKind() !== 'simd')('K > 65536 terms, not split-K: skipping gives the bits of the full loop', () => {
          const c: Case = { x: [1, 16, 16, 64], w: [3, 3, 64, 7300], s: [1, 1], p: 'valid' };
          const K = c.w[0] * c.w[1] * c.w[3];
          expect(K).toBeGreaterThan(65536);
          expect(planGemm(1, c.x[1] * c.x[2], c.x[3], K, threads).splitK).toBe(false);
          const rng = new Rng(91 + threads);
          const w = randomInfo(rng, c.w, 'float32');
          const dy = randomInfo(rng, dyShape(c), 'float32');
          const on = gradInput(true, dy, w, c);
          expect(on.skipped).toBe(true);
          const off = gradInput(false, dy, w, c);
          expectSame(on.out, off.out, `skip vs full ${nameOf(c)}`);
        });

        it('finite filters: skipping gives the bits of the full loop and of the v1 kernel', () => {
          const rng = new Rng(77 + threads);
          for (const c of zeroTapCases()) {
            const w = randomInfo(rng, c.w, 'float32');
            // -0 and subnormals are finite: they keep the skip
            const wf = w.handle as Float32Array;
            for (let i = 0; i < wf.length; i += 7) wf[i] = i % 2 ? -0 : i % 3 ? 1e-40 : -3e-39;
            const dy = randomInfo(rng, dyShape(c), 'float32', { special: c.special });
            const on = gradInput(true, dy, w, c);
            expect(on.skipped, nameOf(c)).toBe(true);
            const off = gradInput(false, dy, w, c);
            expect(off.skipped).toBe(false);
            expectSame(on.out, off.out, `skip vs full ${nameOf(c)}`);
            if (!c.d) {
              const want = outputInfo(c.x, 'float32', false);
              v1conv.conv2dGradInput([dy, w] as never, attrsOf(c) as never, want as never);
              expectSame(on.out, want, `skip vs v1 ${nameOf(c)}`);
            }
          }
        });

        it('conv2d and conv2dBiasAct, finite filters: skipping the padding taps gives the bits of the full loop and of the v1 kernel', () => {
          const rng = new Rng(83 + threads);
          let skipped = 0;
          for (const c of zeroTapCases()) {
            const w = randomInfo(rng, c.w, 'float32');
            const wf = w.handle as Float32Array;
            for (let i = 0; i < wf.length; i += 7) wf[i] = i % 2 ? -0 : i % 3 ? 1e-40 : -3e-39;
            const x = randomInfo(rng, c.x, 'float32', { special: c.special });
            const b = randomInfo(rng, [c.w[3]], 'float32');
            const on = forward(true, x, w, null, c);
            if (on.skipped) skipped++;
            expectSame(on.out, forward(false, x, w, null, c).out, `conv2d skip vs full ${nameOf(c)}`);
            if (!c.d) {
              const want = outputInfo(dyShape(c), 'float32', false);
              v1conv.conv2d([x, w] as never, fwdAttrs(c) as never, want as never);
              expectSame(on.out, want, `conv2d skip vs v1 ${nameOf(c)}`);
            }
            const onB = forward(true, x, w, b, c);
            expect(onB.skipped).toBe(on.skipped);
            expectSame(onB.out, forward(false, x, w, b, c).out, `conv2dBiasAct skip vs full ${nameOf(c)}`);
          }
          // most 'same' cases skip (not those with C <= 4 and K <= 256 on the SIMD kernel: the unpacked path)
          expect(skipped).toBeGreaterThan(10);
        });

        it('filters with Inf or NaN take the full loop: +0 * Inf and +0 * NaN stay NaN', () => {
          const rng = new Rng(91 + threads);
          let lost = 0;
          for (const c of zeroTapCases()) {
            for (const bad of [Infinity, -Infinity, NaN]) {
              const w = randomInfo(rng, c.w, 'float32');
              const wf = w.handle as Float32Array;
              // one non-finite value per tap row kh (and -0, subnormals around it)
              for (let kh = 0; kh < c.w[0]; kh++) wf[kh * c.w[1] * c.w[2] * c.w[3] + rng.int(0, c.w[1] * c.w[2] * c.w[3] - 1)] = bad;
              for (let i = 3; i < wf.length; i += 11) if (Number.isFinite(wf[i])) wf[i] = i % 2 ? -0 : 2e-41;
              const dy = randomInfo(rng, dyShape(c), 'float32', { special: c.special });
              const on = gradInput(true, dy, w, c);
              const off = gradInput(false, dy, w, c);
              expectSame(on.out, off.out, `${bad} in w: ${nameOf(c)}`);
              if (!c.d) {
                const want = outputInfo(c.x, 'float32', false);
                v1conv.conv2dGradInput([dy, w] as never, attrsOf(c) as never, want as never);
                expectSame(on.out, want, `${bad} in w: vs v1 ${nameOf(c)}`);
              }
              expect(on.skipped, nameOf(c)).toBe(false);
              // how many NaN outputs there are (for the count below)
              lost += (off.out.handle as Float32Array).filter((v) => Number.isNaN(v)).length;
              // conv2d and conv2dBiasAct on the same filter (x with dy's seed stream)
              const x = randomInfo(rng, c.x, 'float32', { special: c.special });
              const fOn = forward(true, x, w, null, c);
              expectSame(fOn.out, forward(false, x, w, null, c).out, `${bad} in w: conv2d ${nameOf(c)}`);
              if (!c.d) {
                const want = outputInfo(dyShape(c), 'float32', false);
                v1conv.conv2d([x, w] as never, fwdAttrs(c) as never, want as never);
                expectSame(fOn.out, want, `${bad} in w: conv2d vs v1 ${nameOf(c)}`);
              }
              expect(fOn.skipped, nameOf(c)).toBe(false);
              const b = randomInfo(rng, [c.w[3]], 'float32');
              const bOn = forward(true, x, w, b, c);
              expectSame(bOn.out, forward(false, x, w, b, c).out, `${bad} in w: conv2dBiasAct ${nameOf(c)}`);
              expect(bOn.skipped, nameOf(c)).toBe(false);
            }
          }
          // the cases do produce NaN outputs, so a dropped +0 * Inf would show
          expect(lost).toBeGreaterThan(1000);
        });
      });
    }
  });
}
