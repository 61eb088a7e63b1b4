/**
 * The generated shader module is fresh (src/kernels/webgpu/shaders.gen.ts equals what
 * scripts/embed-shaders.ts makes from shaders/), and every shader follows architecture §3.3: a
 * first-line `// requires:` directive naming existing libraries (or none), a header comment with
 * bindings, dispatch geometry and reduction order, one entry point `main`, bindings in order
 * (read inputs, read_write outputs, then one uniform Params). No device needed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED, generate, requiresOf } from '../../../scripts/embed-shaders.ts';
import { WGSL_CONSTANT_GROUPS, wgslConstants } from '../../../src/kernels/webgpu/wgsl-constants.ts';
import { SHADERS } from '../../../src/kernels/webgpu/shaders.gen.ts';
import { ROOT } from '../../util/subprocess.ts';

const DIR = resolve(ROOT, 'shaders');
const names = readdirSync(DIR).filter((f) => f.endsWith('.wgsl')).map((f) => f.slice(0, -5));

describe('WGSL shaders', () => {
  it('shaders.gen.ts is fresh (run `npx tsx scripts/embed-shaders.ts` if this fails)', () => {
    expect(readFileSync(GENERATED, 'utf8') === generate(), 'src/kernels/webgpu/shaders.gen.ts is stale').toBe(true);
  });

  it('every shader file has an entry in SHADERS and vice versa', () => {
    expect(Object.keys(SHADERS).sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    it(`${name}: header, one entry point, binding order`, () => {
      const src = readFileSync(resolve(DIR, `${name}.wgsl`), 'utf8');
      const lines = src.split('\n');
      const libs = requiresOf(src);
      for (const lib of libs) {
        if (lib.startsWith('const/')) expect(Object.keys(WGSL_CONSTANT_GROUPS), `${name} requires unknown constant group ${lib}`).toContain(lib);
        else expect(readdirSync(resolve(DIR, 'lib')).includes(`${lib.slice(4)}.wgsl`), `${name} requires missing ${lib}`).toBe(true);
      }
      const header = lines.slice(libs.length ? 1 : 0).filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith('//'))).join('\n');
      expect(header, `${name}: header comment`).toMatch(/Bindings?:/);
      expect(header, `${name}: dispatch geometry`).toMatch(/Dispatch/);
      expect(header, `${name}: reduction order`).toMatch(/[Rr]eduction order|summation tree|order/);
      expect(src.match(/@compute/g)?.length, `${name}: one @compute entry point`).toBe(1);
      expect(src).toMatch(/@compute[^\n]*\n\s*fn main\(/);
      const bindings = [...src.matchAll(/@binding\((\d+)\)\s+var<([a-z_, ]+)>/g)].map((m) => ({ i: Number(m[1]), kind: m[2].replace(/\s/g, '') }));
      expect(bindings.map((b) => b.i), `${name}: bindings numbered 0..n-1`).toEqual(bindings.map((_, i) => i));
      const rank = (k: string) => (k === 'storage,read' ? 0 : k === 'storage,read_write' ? 1 : 2);
      const ranks = bindings.map((b) => rank(b.kind));
      expect([...ranks].sort(), `${name}: inputs (read), outputs (read_write), then the uniform`).toEqual(ranks);
      expect(ranks.filter((r) => r === 2).length, `${name}: one uniform Params`).toBe(1);
    });
  }

  it('numbers shared with TypeScript come from wgsl-constants.ts, never written by hand', () => {
    const shared = Object.values(WGSL_CONSTANT_GROUPS).flatMap((g) => Object.keys(g));
    for (const name of names) {
      const src = readFileSync(resolve(DIR, `${name}.wgsl`), 'utf8');
      const code = src.replace(/\/\/[^\n]*/g, '');
      for (const c of shared) expect(code, `${name} declares ${c} itself`).not.toMatch(new RegExp(`const ${c}\\b`));
      // op codes are named: no numeric case labels, no OP/MODE/DTYPE compared with a literal
      expect(code, `${name}: a numeric case label`).not.toMatch(/case \d+u?\s*:/);
      expect(code, `${name}: an op or mode code compared with a literal`).not.toMatch(/\b(OP|MODE|DTYPE|op|mode|dtype|algo)\s*[=!<>]=?\s*\d/);
      // each generated group appears in the expanded shader exactly as the table says
      for (const lib of requiresOf(src).filter((l) => l.startsWith('const/'))) expect(SHADERS[name as keyof typeof SHADERS]).toContain(wgslConstants(lib));
    }
    expect(wgslConstants('const/unary-ops')).toContain('const UNARY_NEG_F: u32 = 1u;');
    expect(wgslConstants('const/sum-chunk')).toContain('const SUM_CHUNK: u32 = 256u;');
    expect(() => wgslConstants('const/nope')).toThrow(/unknown group/);
  });

  it('libraries have no bindings or entry points', () => {
    for (const f of readdirSync(resolve(DIR, 'lib'))) {
      const src = readFileSync(resolve(DIR, 'lib', f), 'utf8');
      expect(src, f).not.toMatch(/@binding|@compute/);
    }
  });
});
