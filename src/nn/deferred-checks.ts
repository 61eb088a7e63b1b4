/**
 * Input checks that need a device read (e.g. label ranges on WebGPU, where tensors cannot be read
 * synchronously): each check adds its violation count to a device-side int32 counter, and
 * `verifyDeferredChecks()` reads the counters, resets them, and throws when any is non-zero. The
 * training loop verifies at every log read and at the end of each epoch and evaluation, so bad
 * input stops training with a clear error at most one log interval late, instead of silently
 * training on garbage. On backends that read synchronously the checks run immediately instead.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, ops, tidy } from '../core/internal.ts';

interface Counter {
  count: Variable;
  message: string;
}

const counters = new Map<string, Counter>();

/** Adds `violations` (an int32 scalar count) to the counter `key`; `message` describes a violation. */
export function deferCheck(key: string, violations: Tensor, message: string): void {
  tidy(() => {
    let c = counters.get(key);
    if (!c || c.count.isDisposed || c.count.storage.backend !== violations.storage.backend) {
      c?.count.dispose();
      c = { count: ops.variable(ops.scalar(0, 'int32'), { name: `check/${key}`, trainable: false }), message };
      counters.set(key, c);
    }
    c.message = message;
    c.count.assign(ops.add(c.count, violations));
  });
}

/** Reads and resets every counter; throws an ArgumentError naming the first violated check. */
export async function verifyDeferredChecks(): Promise<void> {
  for (const [key, c] of counters) {
    if (c.count.isDisposed) {
      counters.delete(key);
      continue;
    }
    const n = (await c.count.data())[0];
    if (n !== 0) {
      tidy(() => c.count.assign(ops.scalar(0, 'int32')));
      throw new ArgumentError(`${c.message} (${n} offending value${n === 1 ? '' : 's'} since the last check)`);
    }
  }
}

/** Whether any check is pending (for tests). */
export function hasDeferredChecks(): boolean {
  return counters.size > 0;
}
