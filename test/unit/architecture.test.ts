/**
 * Enforces the dependency direction of ../shared/guide/architecture.md §3.1 by reading import
 * lines: core imports nothing from the other folders; kernels, nn and data import core only;
 * the CPU and WebGPU backends never import each other; only the composition root sees all.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../util/subprocess.ts';

const SRC = resolve(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(p) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative module specifiers of every import/export-from in `source`. */
function imports(source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The layer a file under src/ belongs to. */
function layer(file: string): string {
  const rel = relative(SRC, file).split('/');
  if (rel[0] === 'kernels') return `kernels/${rel[1]}`;
  return rel.length === 1 ? 'root' : rel[0];
}

const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  'kernels/cpu': ['core', 'kernels/cpu'],
  'kernels/webgpu': ['core', 'kernels/webgpu'],
  nn: ['core', 'nn'],
  data: ['core', 'data'],
};

describe('dependency direction', () => {
  const all = files(SRC);

  it('finds the source tree', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  for (const file of all) {
    const from = layer(file);
    if (from === 'root') continue;
    it(relative(ROOT, file), () => {
      const allowed = ALLOWED[from];
      expect(allowed, `unknown layer ${from}`).toBeDefined();
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue; // packages and node: builtins are checked below
        const target = resolve(dirname(file), spec);
        expect(target.startsWith(SRC), `${spec} leaves src/`).toBe(true);
        const to = layer(target);
        expect(allowed, `${relative(ROOT, file)} (${from}) imports ${spec} (${to})`).toContain(to);
      }
    });
  }

  it('core imports no npm package', () => {
    for (const file of all.filter((f) => layer(f) === 'core')) {
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        expect(spec.startsWith('.') || spec.startsWith('node:'), `${relative(ROOT, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it('the import scanner sees imports (self-check)', () => {
    expect(imports("import { a } from './x.ts';\nexport * from '../y.ts';\nimport './z.ts';")).toEqual(['./x.ts', '../y.ts', './z.ts']);
  });
});
