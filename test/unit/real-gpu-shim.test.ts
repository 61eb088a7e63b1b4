/**
 * scripts/real-gpu bundles the agreement suites with 'vitest' replaced by scripts/real-gpu/vitest-shim.ts (the lent
 * GPU machines have no npm registry). The shim provides only what those suites use, so a suite (or a test helper it
 * imports) that starts using another vitest export or matcher breaks the GPU run, far from CI. This test follows the
 * suites' relative imports within test/ and checks that the shim exports every name they import from 'vitest' and
 * implements every matcher they call on expect(...), and that a beforeEach hook runs before each test of its suite.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const shimPath = join(root, 'scripts/real-gpu/vitest-shim.ts');

/** The agreement suites and every file under test/ they import (relative imports), transitively. */
function suiteFiles(): string[] {
  const start = readdirSync(join(root, 'test/agreement')).filter((f) => f.endsWith('.test.ts')).map((f) => join(root, 'test/agreement', f));
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = resolve(dirname(f), m[1]);
      if (target.startsWith(join(root, 'test'))) queue.push(target);
    }
  }
  return [...seen];
}

it('the real-gpu vitest shim provides every vitest export and matcher the bundled agreement suites use', async () => {
  const files = suiteFiles();
  expect(files.length).toBeGreaterThan(5);
  const names = new Set<string>();
  const matchers = new Set<string>();
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/import \{([^}]*)\} from 'vitest'/g)) {
      for (const part of m[1].split(',')) {
        const name = part.trim();
        if (name && !name.startsWith('type ')) names.add(name);
      }
    }
    for (const m of src.matchAll(/expect\([^;]*?\)\.(?:not\.)?(to[A-Z]\w*)\(/g)) matchers.add(m[1]);
  }
  expect(names.has('it')).toBe(true);
  const shim = (await import(shimPath)) as Record<string, unknown>;
  const missing = [...names].filter((n) => !(n in shim));
  expect(missing, `exports missing from ${shimPath}`).toEqual([]);
  const made = (shim.expect as (x: unknown) => Record<string, unknown>)(1);
  const absent = [...matchers].filter((m) => typeof made[m] !== 'function');
  expect(absent, `matchers missing from ${shimPath}`).toEqual([]);
});

it('the shim runs beforeEach hooks (outer first) before each test of their suite, and counts a throwing hook as a failure', async () => {
  // a fresh copy of the module: its registry is module state
  const shim = (await import(`${shimPath}?fresh=${Date.now()}`)) as typeof import('../../scripts/real-gpu/vitest-shim.ts');
  const order: string[] = [];
  shim.describe('outer', () => {
    shim.beforeEach(() => {
      order.push('outer-before');
    });
    shim.describe('inner', () => {
      shim.beforeEach(() => {
        order.push('inner-before');
      });
      shim.afterEach(() => {
        order.push('inner-after');
      });
      shim.it('a', () => {
        order.push('a');
      });
    });
    shim.it('b', () => {
      order.push('b');
    });
  });
  shim.describe('failing hook', () => {
    shim.beforeEach(() => {
      shim.expect.fail('no adapter');
    });
    shim.it('c', () => {
      order.push('c');
    });
  });
  const log = console.log;
  console.log = () => {};
  let summary;
  try {
    summary = await shim.run('self-test');
  } finally {
    console.log = log;
  }
  expect(order).toEqual(['outer-before', 'inner-before', 'a', 'inner-after', 'outer-before', 'b']);
  expect(summary).toEqual({ passed: 2, failed: 1, skipped: 0 });
});
