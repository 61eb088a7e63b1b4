/**
 * Leak checks: the number of live tensors and backend buffers must not grow across `fn`.
 */
import { expect } from 'vitest';
import * as dt from '../../src/index.ts';

/** Runs `fn` and asserts that it leaves no new live tensors or buffers. */
export async function expectNoLeaks(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = dt.memory();
  await fn();
  const after = dt.memory();
  expect(after.numTensors, 'live tensors').toBe(before.numTensors);
  expect(after.numBuffers, 'live buffers').toBe(before.numBuffers);
  expect(after.numBytes, 'live bytes').toBe(before.numBytes);
}
