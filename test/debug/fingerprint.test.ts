/**
 * The op-trace fingerprint (src/core/debug/fingerprint.ts): the hash is exactly the one its module comment defines
 * (an independent scalar implementation written from that text agrees); any single bit flip and any swap of two
 * different words change it (fast-check, and every bit of a few words exhaustively); the statistics follow their
 * documented order; the CPU backend's fingerprint (WebAssembly SIMD chunks on the worker threads) equals the
 * TypeScript function on NaNs, infinities, subnormals, -0, int32, bool and uint8 bytes, empty and odd sizes, at 1
 * and 2 threads;
 * and traces of another format version are refused with a clear error, by readTrace and by `ditto diff`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { fingerprint } from '../../src/core/debug/fingerprint.ts';
import type { DType, TypedArray } from '../../src/core/dtype.ts';
import { CpuBackend } from '../../src/kernels/cpu/index.ts';
import { setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';
import { simdFingerprintModule } from '../../src/kernels/cpu/wasm-fingerprint.ts';
import { runCli } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'ditto-fingerprint-'));
afterAll(async () => {
  setParallelMinWork();
  await dt.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

// ---- the definition, written again from the module comment (scalar, one element at a time)
const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) | 0;
const specStep = (h: number, w: number): number => {
  const k = Math.imul(rotl(Math.imul(w, 0xcc9e2d51), 15), 0x1b873593);
  return (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
};
const specFmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};
function specHash(data: TypedArray, dtype: DType): string {
  const n = data.length;
  const word = (i: number): number => {
    if (dtype === 'uint8') return data[i];
    const u = new Int32Array(data.buffer, data.byteOffset, n)[i];
    return dtype === 'float32' && (u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0 ? 0x7fc00000 : u;
  };
  const tag = { float32: 1, int32: 2, uint8: 3 }[dtype];
  let H = 0x9e3779b9 ^ tag;
  let L = 0x7f4a7c15 ^ tag;
  for (let c = 0; c * 4096 < n; c++) {
    const l = Array.from({ length: 16 }, (_, j) => Math.imul(j + 1, 0x9e3779b9));
    for (let i = c * 4096; i < Math.min(n, (c + 1) * 4096); i++) l[i % 16] = specStep(l[i % 16], word(i));
    const fold = (ls: number[]): number => ls.slice(1).reduce((h, x) => specStep(h, x), ls[0]);
    H = specStep(H, fold(l.slice(0, 8)));
    L = specStep(L, fold(l.slice(8)));
  }
  const hex = (v: number): string => v.toString(16).padStart(8, '0');
  return hex(specFmix(specStep(H, n))) + hex(specFmix(specStep(L, n)));
}
function specStats(f: Float32Array): { min: number | null; max: number | null; mean: number | null; nan: number; inf: number; sub: number } {
  let [min, max, total, finite, nan, inf, sub] = [Infinity, -Infinity, 0, 0, 0, 0, 0];
  for (let c = 0; c * 4096 < f.length; c++) {
    const s = [0, 0, 0, 0];
    for (let i = c * 4096; i < Math.min(f.length, (c + 1) * 4096); i++) {
      const v = f[i];
      if (Number.isNaN(v)) nan++;
      else if (!Number.isFinite(v)) inf++;
      else {
        finite++;
        s[i % 4] += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        if (v !== 0 && Math.abs(v) < 2 ** -126) sub++;
      }
    }
    total += (s[0] + s[1]) + (s[2] + s[3]);
  }
  const any = finite > 0;
  return { min: any ? min + 0 : null, max: any ? max + 0 : null, mean: any ? total / finite : null, nan, inf, sub };
}

const words = (n: number, seed: number): Int32Array => {
  const w = new Int32Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    w[i] = x;
  }
  return w;
};
const asFloats = (w: Int32Array): Float32Array => new Float32Array(w.buffer, w.byteOffset, w.length);
const isNanBits = (u: number): boolean => (u & 0x7fffffff) > 0x7f800000;

/** Interesting float32 contents: random bits (NaNs, infinities, subnormals among them), specials, -0. */
function samples(n: number, seed: number): Float32Array {
  const f = asFloats(words(n, seed));
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-45, 3.4028234663852886e38, 1, -1];
  const bits = new Int32Array(f.buffer);
  for (let i = 0; i < n; i += 7) f[i] = specials[(i / 7) % specials.length];
  for (let i = 3; i < n; i += 11) bits[i] = 0x7f800001 + (i % 1000); // NaNs with other payloads
  for (let i = 5; i < n; i += 13) f[i] = Math.fround(Math.sin(i));
  return f;
}

describe('fingerprint: the documented hash and statistics', () => {
  it('equals the definition of the module comment, for every dtype and sizes around the chunk', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 4095, 4096, 4097, 4099, 4111, 4112, 4113, 8192 + 3]) {
      const f = samples(n, n + 1);
      expect(fingerprint(f, 'float32').hash, `float32 n=${n}`).toBe(specHash(f, 'float32'));
      expect(fingerprint(f, 'float32')).toEqual({ hash: specHash(f, 'float32'), ...specStats(f) });
      const i = words(n, n + 2);
      expect(fingerprint(i, 'int32').hash).toBe(specHash(i, 'int32'));
      const u = new Uint8Array(n).map((_, k) => (k * 37) % 256);
      expect(fingerprint(u, 'uint8').hash).toBe(specHash(u, 'uint8'));
    }
  });

  it('pins a few values (the hash must not change without a trace format version bump)', () => {
    expect(fingerprint(new Float32Array(0), 'float32')).toEqual({ hash: fingerprint(new Float32Array(0), 'float32').hash, min: null, max: null, mean: null, nan: 0, inf: 0, sub: 0 });
    expect(dt.debug.TRACE_FORMAT_VERSION).toBe(2);
    const pinned = [
      fingerprint(new Float32Array(0), 'float32').hash,
      fingerprint(new Float32Array([1, 2, 3]), 'float32').hash,
      fingerprint(new Int32Array([1, 2, 3]), 'int32').hash,
      fingerprint(new Uint8Array([1, 0, 1]), 'uint8').hash,
    ];
    expect(pinned).toEqual(PINNED);
  });

  it('mixes in the dtype, the length, the sign of zero, and treats every NaN as one', () => {
    const h = (d: TypedArray, t: DType): string => fingerprint(d, t).hash;
    const zeros = new Int32Array(3);
    expect(h(asFloats(zeros), 'float32')).not.toBe(h(zeros, 'int32'));
    expect(h(new Float32Array(2), 'float32')).not.toBe(h(new Float32Array(3), 'float32'));
    expect(h(new Float32Array([0]), 'float32')).not.toBe(h(new Float32Array([-0]), 'float32'));
    expect(h(new Uint8Array([1, 0]), 'uint8')).not.toBe(h(new Uint8Array([0, 1]), 'uint8'));
    const nan = new Int32Array([0x7fc00000, 0x7f800001, 0xffffffff | 0, 5]);
    const canon = new Int32Array([0x7fc00000, 0x7fc00000, 0x7fc00000, 5]);
    expect(h(asFloats(nan), 'float32')).toBe(h(asFloats(canon), 'float32'));
    expect(fingerprint(asFloats(nan), 'float32')).toMatchObject({ nan: 3, min: 5 * 2 ** -149, max: 5 * 2 ** -149, sub: 1 });
  });

  it('every bit of a few words, flipped, changes the hash (exhaustive over 32 bits x 6 positions)', () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const w = words(6, 99);
      const base = fingerprint(dtype === 'float32' ? asFloats(w) : w, dtype).hash;
      for (let i = 0; i < w.length; i++) {
        for (let b = 0; b < 32; b++) {
          const v = w.slice();
          v[i] ^= 1 << b;
          if (dtype === 'float32' && isNanBits(w[i]) && isNanBits(v[i])) continue; // NaN payloads are not hashed
          expect(fingerprint(dtype === 'float32' ? asFloats(v) : v, dtype).hash, `${dtype} word ${i} bit ${b}`).not.toBe(base);
        }
      }
    }
  });

  it('any single bit flip anywhere changes the hash (fast-check, sizes across chunks)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9000 }), fc.integer(), fc.nat(), fc.integer({ min: 0, max: 31 }), fc.boolean(), (n, seed, at, bit, float) => {
      const w = words(n, seed);
      const i = at % n;
      const v = w.slice();
      v[i] ^= 1 << bit;
      if (float && isNanBits(w[i]) && isNanBits(v[i])) return;
      const dtype = float ? 'float32' : 'int32';
      const wrap = (x: Int32Array): TypedArray => (float ? asFloats(x) : x);
      expect(fingerprint(wrap(v), dtype).hash).not.toBe(fingerprint(wrap(w), dtype).hash);
    }), { numRuns: 300, seed: 20 });
  });

  it('swapping two different words changes the hash (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 9000 }), fc.integer(), fc.nat(), fc.nat(), (n, seed, a, b) => {
      const w = words(n, seed);
      const [i, j] = [a % n, b % n];
      if (w[i] === w[j] || (isNanBits(w[i]) && isNanBits(w[j]))) return;
      const v = w.slice();
      [v[i], v[j]] = [v[j], v[i]];
      expect(fingerprint(asFloats(v), 'float32').hash).not.toBe(fingerprint(asFloats(w), 'float32').hash);
    }), { numRuns: 300, seed: 21 });
  });
});

describe('the CPU backend computes the same fingerprint on its threads', () => {
  const cpu = new CpuBackend();
  const onCpu = (data: TypedArray, dtype: DType): ReturnType<typeof fingerprint> => {
    const h = cpu.alloc(dtype, data.length);
    cpu.write(h, dtype, data);
    const f = cpu.fingerprint(h, dtype, data.length);
    cpu.free(h);
    return f;
  };
  const cases = (): [string, TypedArray, DType][] => {
    const out: [string, TypedArray, DType][] = [];
    for (const n of [0, 1, 3, 4, 5, 15, 16, 17, 33, 4095, 4096, 4097, 4099, 4111, 4112, 4113, 3 * 4096 + 2, 200_003]) {
      out.push([`float32 n=${n}`, samples(n, 7 * n + 3), 'float32']);
      out.push([`int32 n=${n}`, words(n, n + 5), 'int32']);
      out.push([`bool n=${n}`, new Uint8Array(n).map((_, k) => (k * 7) % 3 === 0 ? 1 : 0), 'uint8']);
      out.push([`uint8 0..255 n=${n}`, new Uint8Array(n).map((_, k) => (k * 97 + (k >> 5)) % 256), 'uint8']);
    }
    out.push(['all NaN', new Float32Array(9000).fill(NaN), 'float32']);
    out.push(['all -0', new Float32Array(5000).fill(-0), 'float32']);
    out.push(['subnormals', new Float32Array(4101).map((_, k) => (k % 2 ? -1 : 1) * k * 1e-45), 'float32']);
    out.push(['infinities', new Float32Array(4103).map((_, k) => (k % 3 ? Infinity : -Infinity)), 'float32']);
    return out;
  };

  for (const threads of [1, 2]) {
    it(`equals fingerprint() of the data at ${threads} thread(s), in parallel blocks`, () => {
      // The float32 and uint8 chunks run the WebAssembly SIMD passes (unless DITTO_CPU_WASM=0 turns them off).
      expect(simdFingerprintModule() === null).toBe(process.env.DITTO_CPU_WASM === '0');
      dt.config.setNumThreads(threads);
      setParallelMinWork(0);
      try {
        for (const [name, data, dtype] of cases()) expect(onCpu(data, dtype), name).toEqual(fingerprint(data, dtype));
      } finally {
        setParallelMinWork();
      }
    });
  }
});

describe('trace format versions', () => {
  it('a trace of another format version is refused with a clear error by readTrace and ditto diff', async () => {
    const now = join(dir, 'now.jsonl');
    await dt.debug.trace({ path: now }, () => dt.tidy(() => dt.add(dt.tensor([1, 2]), dt.tensor([3, 4])).dataSync()));
    const lines = readFileSync(now, 'utf8').split('\n');
    const header = JSON.parse(lines[0]);
    expect(header.dittoTrace).toBe(2);
    const old = join(dir, 'old.jsonl');
    writeFileSync(old, [JSON.stringify({ ...header, dittoTrace: 1 }), ...lines.slice(1)].join('\n'));
    expect(() => dt.debug.readTrace(old)).toThrow(/format version 2\. Received: a trace of format version 1/);
    const out: string[] = [];
    expect(await runCli(['diff', now, old], (s) => out.push(s))).toBe(2);
    expect(out.join('\n')).toMatch(/old\.jsonl: expected a ditto trace of format version 2\. Received: a trace of format version 1.*same ditto version/);
  });
});

const PINNED = ['7c5b3bc97ed1dd74', '3831672ea375ed2e', '7b19bdcfa8773cc1', '83084b21ddbc5bd6'];
