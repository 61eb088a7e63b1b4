/**
 * Exhaustive check of the JS ports (glibcLogf, glibcSincosf, fma32) against the host C library, and generator
 * of the small golden files the vitest suite uses. Needs gcc and glibc; NOT part of `vitest run` (too slow).
 *
 *   npx tsx test/golden/gen/random/glibc-check.ts                 # compile, run, compare; exit 1 on any mismatch
 *   npx tsx test/golden/gen/random/glibc-check.ts --write-golden  # ... and rewrite test/golden/random-{glibc,fma32}.json
 *
 * Checked (exit 1 on a mismatch): logf and sincosf over all 2^23 TF Box–Muller inputs (spec §3.5), and 2^22 fmaf
 * triples (random, near-cancelling, subnormal results). Reported only: 2^22 random logf / sincosf inputs each, where
 * glibc's FMA build (chosen at run time on FMA CPUs) may round an intermediate differently from the C source we port.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bitsToF32, f32ToBits } from '../../../../src/core/random/float-bits.ts';
import { fma32 } from '../../../../src/core/random/fma32.ts';
import { glibcLogf } from '../../../../src/core/random/glibc-logf.ts';
import { glibcSincosf } from '../../../../src/core/random/glibc-sincosf.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const K = 1 << 23;
const EPS = Math.fround(1e-7);

function words(path: string): Uint32Array {
  const b = readFileSync(path);
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/** Same float32 (bit-identical), or both NaN (payloads are not compared). */
function same(jsValue: number, cBits: number): boolean {
  const c = bitsToF32(cBits);
  if (Number.isNaN(c) || Number.isNaN(jsValue)) return Number.isNaN(c) && Number.isNaN(jsValue);
  return f32ToBits(jsValue) === cBits;
}

function report(name: string, total: number, bad: string[]): number {
  console.log(`${name}: ${total} inputs, ${bad.length} mismatches${bad.length ? '; first: ' + bad.slice(0, 5).join('; ') : ''}`);
  return bad.length;
}

function b64(a: Uint32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function main(): void {
  const writeGolden = process.argv.includes('--write-golden');
  const out = join(tmpdir(), 'ditto-glibc-check');
  mkdirSync(out, { recursive: true });
  const exe = join(out, 'glibc-check');
  execFileSync('gcc', ['-O2', '-std=gnu11', '-Wall', '-fno-builtin', '-ffp-contract=off', join(here, 'glibc-check.c'), '-o', exe, '-lm'], { stdio: 'inherit' });
  const libc = execFileSync(exe, [out], { encoding: 'utf8' }).trim();
  const gcc = execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  const fmaHw = /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  console.log(`${libc}, gcc ${gcc}, ${process.arch}, cpu FMA: ${fmaHw}`);

  let failures = 0;
  const sc = new Float32Array(2);

  // logf over the TF domain.
  const lt = words(join(out, 'logf-tf.bin'));
  const logfBad: string[] = [];
  const logfHard: number[] = [];
  for (let k = 0; k < K; k++) {
    const u = k * 2 ** -23;
    const u1 = u < EPS ? EPS : u;
    const v = glibcLogf(u1);
    if (!same(v, lt[k])) logfBad.push(`k=${k} js=${f32ToBits(v).toString(16)} c=${lt[k].toString(16)}`);
    if (f32ToBits(Math.log(u1)) !== lt[k]) logfHard.push(k);
  }
  failures += report('logf, TF domain (all 2^23 u1)', K, logfBad);
  console.log(`  (f32(Math.log) differs from glibc on ${logfHard.length} of them)`);

  // sincosf over the TF domain.
  const st = words(join(out, 'sincosf-tf.bin'));
  const sinBad: string[] = [];
  const sinHard: number[] = [];
  for (let k = 0; k < K; k++) {
    const v1 = Math.fround(2 * Math.PI * (k * 2 ** -23));
    glibcSincosf(v1, sc, 0);
    if (!same(sc[0], st[2 * k]) || !same(sc[1], st[2 * k + 1])) sinBad.push(`k=${k}`);
    if (f32ToBits(Math.sin(v1)) !== st[2 * k] || f32ToBits(Math.cos(v1)) !== st[2 * k + 1]) sinHard.push(k);
  }
  failures += report('sincosf, TF domain (all 2^23 v1)', K, sinBad);
  console.log(`  (f32(Math.sin/cos) differs from glibc on ${sinHard.length} of them)`);

  // Random logf inputs (normal, subnormal, specials).
  const lr = words(join(out, 'logf-rand.bin'));
  const lrBad: string[] = [];
  for (let i = 0; i < lr.length; i += 2) {
    const v = glibcLogf(bitsToF32(lr[i]));
    if (!same(v, lr[i + 1])) lrBad.push(`x=0x${lr[i].toString(16)}`);
  }
  // Informational: outside TF's domain, glibc's FMA-compiled variant (picked at run time on FMA CPUs) contracts
  // a*b+c steps that the port (the plain C source) rounds twice; this can change a result in rare cases.
  report('logf, random positive floats (informational)', lr.length / 2, lrBad);

  // Random sincosf inputs, |y| < 120.
  const sr = words(join(out, 'sincosf-rand.bin'));
  const srBad: string[] = [];
  for (let i = 0; i < sr.length; i += 3) {
    glibcSincosf(bitsToF32(sr[i]), sc, 0);
    if (!same(sc[0], sr[i + 1]) || !same(sc[1], sr[i + 2])) srBad.push(`y=0x${sr[i].toString(16)}`);
  }
  report('sincosf, random |y| < 120 (informational)', sr.length / 3, srBad);

  // fmaf triples.
  const fm = words(join(out, 'fmaf.bin'));
  const fmBad: string[] = [];
  for (let i = 0; i < fm.length; i += 4) {
    const v = fma32(bitsToF32(fm[i]), bitsToF32(fm[i + 1]), bitsToF32(fm[i + 2]));
    if (!same(v, fm[i + 3])) fmBad.push(`(${fm[i].toString(16)}, ${fm[i + 1].toString(16)}, ${fm[i + 2].toString(16)})`);
  }
  failures += report('fmaf, random triples', fm.length / 4, fmBad);

  if (writeGolden) {
    // 16 smallest k (the 1e-7 clamp), 4984 evenly strided k, and 5000 k where f32(Math.log/sin/cos) differs.
    const pick = (hard: number[]): Uint32Array => {
      const set = new Set<number>();
      for (let k = 0; k < 16; k++) set.add(k);
      for (let i = 0; i < 4984; i++) set.add(13 + i * 1683);
      for (let j = 0; j < 5000; j++) set.add(hard[Math.floor((j * hard.length) / 5000)]);
      return Uint32Array.from([...set].sort((a, b) => a - b));
    };
    const lk = pick(logfHard);
    const sk = pick(sinHard);
    const glibc = {
      description: 'glibc float logf / sincosf on TensorFlow Box–Muller inputs (spec §3.5): logf(max(k*2^-23, 1e-7f)) and sincosf(f32(2*pi*k*2^-23)). Arrays are base64 of little-endian uint32 (k, then result bit patterns).',
      source: `${libc} on ${process.arch} (cpu FMA: ${fmaHw}), gcc ${gcc}; generated by test/golden/gen/random/glibc-check.ts --write-golden`,
      logf: { k: b64(lk), bits: b64(Uint32Array.from(lk, (k) => lt[k])) },
      sincosf: {
        k: b64(sk),
        sinBits: b64(Uint32Array.from(sk, (k) => st[2 * k])),
        cosBits: b64(Uint32Array.from(sk, (k) => st[2 * k + 1])),
      },
    };
    writeFileSync(join(repo, 'test/golden/random-glibc.json'), JSON.stringify(glibc, null, 1) + '\n');
    const quads = new Uint32Array(4096 * 4);
    for (let j = 0; j < 4096; j++) quads.set(fm.subarray(4 * j * 1021, 4 * j * 1021 + 4), 4 * j);
    const fma = {
      description: 'C fmaf(a, b, c) on float32 triples: arbitrary, moderate, near-cancelling and tiny (subnormal-result) operands in rotation. base64 of little-endian uint32 quads (a, b, c, fmaf) bit patterns.',
      source: `${libc} on ${process.arch} (cpu FMA: ${fmaHw}), gcc ${gcc}; generated by test/golden/gen/random/glibc-check.ts --write-golden`,
      quads: b64(quads),
    };
    writeFileSync(join(repo, 'test/golden/random-fma32.json'), JSON.stringify(fma, null, 1) + '\n');
    console.log(`wrote test/golden/random-glibc.json (${lk.length} logf, ${sk.length} sincosf inputs) and test/golden/random-fma32.json (4096 triples)`);
  }
  if (failures > 0) process.exit(1);
}

main();
