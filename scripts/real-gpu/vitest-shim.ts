/**
 * A minimal stand-in for the parts of vitest that the agreement suites (test/agreement) use, so
 * that they can run as one bundled file on a machine that has a GPU and Node but no npm registry
 * (scripts/real-gpu/build.sh aliases 'vitest' to this module). It registers describe/it blocks,
 * runs them in declaration order with beforeAll/afterAll hooks, and reports each test.
 * Only what those suites (and test/util/webgpu.ts, which they import) call is provided:
 * describe(.skipIf), it/test(.skipIf/.runIf), beforeAll, afterAll, beforeEach, afterEach (run
 * around each test of the suite and of the suites inside it; a throwing hook fails the test),
 * expect(x, message).toBe/.toEqual/.toBeGreaterThan, expect.fail.
 */
import { isDeepStrictEqual, inspect } from 'node:util';

type Body = () => unknown;
interface TestCase { kind: 'test'; name: string; fn: Body; skip: boolean }
interface Suite { kind: 'suite'; name: string; skip: boolean; items: (Suite | TestCase)[]; before: Body[]; after: Body[]; beforeEach: Body[]; afterEach: Body[] }

const newSuite = (name: string, skip: boolean): Suite => ({ kind: 'suite', name, skip, items: [], before: [], after: [], beforeEach: [], afterEach: [] });
const root: Suite = newSuite('', false);
let current = root;

function addSuite(name: string, body: () => void, skip: boolean): void {
  const suite = newSuite(name, skip);
  current.items.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

export function describe(name: string, body: () => void): void {
  addSuite(name, body, false);
}
describe.skipIf = (condition: unknown) => (name: string, body: () => void) => addSuite(name, body, !!condition);

function addTest(name: string, fn: Body, skip: boolean): void {
  current.items.push({ kind: 'test', name, fn, skip });
}
export function it(name: string, fn: Body, _timeout?: number): void {
  addTest(name, fn, false);
}
it.skipIf = (condition: unknown) => (name: string, fn: Body, _timeout?: number) => addTest(name, fn, !!condition);
it.runIf = (condition: unknown) => (name: string, fn: Body, _timeout?: number) => addTest(name, fn, !condition);
export const test = it;

export function beforeAll(fn: Body): void {
  current.before.push(fn);
}
export function afterAll(fn: Body): void {
  current.after.push(fn);
}
export function beforeEach(fn: Body): void {
  current.beforeEach.push(fn);
}
export function afterEach(fn: Body): void {
  current.afterEach.push(fn);
}

class AssertionError extends Error {}

function show(x: unknown): string {
  return inspect(x, { depth: 4, maxArrayLength: 20, breakLength: 120 });
}

export function expect(actual: unknown, message?: string) {
  const fail = (what: string) => {
    throw new AssertionError(`${message ? `${message}: ` : ''}${what}`);
  };
  return {
    toBe(expected: unknown) {
      if (!Object.is(actual, expected)) fail(`expected ${show(actual)} to be ${show(expected)}`);
    },
    toEqual(expected: unknown) {
      if (!isDeepStrictEqual(actual, expected)) fail(`expected ${show(actual)} to equal ${show(expected)}`);
    },
    toBeGreaterThan(expected: number | bigint) {
      if (!((actual as number | bigint) > expected)) fail(`expected ${show(actual)} to be greater than ${show(expected)}`);
    },
  };
}
expect.fail = (message: string): never => {
  throw new AssertionError(message);
};

export interface RunSummary { passed: number; failed: number; skipped: number }

/** Runs everything registered so far; prints one line per test; returns the counts. */
export async function run(file: string): Promise<RunSummary> {
  const summary: RunSummary = { passed: 0, failed: 0, skipped: 0 };
  const visit = async (suite: Suite, path: string[], skipped: boolean, outerBefore: Body[], outerAfter: Body[]): Promise<void> => {
    const skip = skipped || suite.skip;
    // beforeEach hooks from the outermost suite in, afterEach from the innermost out (as vitest)
    const beforeEach = [...outerBefore, ...suite.beforeEach];
    const afterEach = [...suite.afterEach, ...outerAfter];
    if (!skip) for (const h of suite.before) await h();
    for (const item of suite.items) {
      if (item.kind === 'suite') {
        await visit(item, [...path, item.name], skip, beforeEach, afterEach);
        continue;
      }
      const label = [file, ...path, item.name].join(' > ');
      if (skip || item.skip) {
        summary.skipped++;
        console.log(`SKIP ${label}`);
        continue;
      }
      const t0 = performance.now();
      try {
        try {
          for (const h of beforeEach) await h();
          await item.fn();
        } finally {
          for (const h of afterEach) await h();
        }
        summary.passed++;
        console.log(`PASS ${label} (${(performance.now() - t0).toFixed(0)} ms)`);
      } catch (e) {
        summary.failed++;
        console.log(`FAIL ${label}: ${(e as Error).stack ?? e}`);
      }
    }
    if (!skip) for (const h of suite.after) await h();
  };
  await visit(root, [], false, [], []);
  console.log(`${file}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary;
}
