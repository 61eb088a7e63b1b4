/**
 * Test helper: records the primitive ops the current backend runs (its `run` wrapped) until `restore()` is called;
 * `take()` returns the ops recorded since the last take. For tests that check which primitives a layer or model ran.
 */
import * as adv from '../../src/advanced.ts';

export interface OpLog {
  /** The op names recorded since the last take (or since the log started), in order. */
  take(): string[];
  /** Puts the backend's own `run` back. */
  restore(): void;
}

export function logOps(): OpLog {
  const backend = adv.currentBackend();
  const run = backend.run;
  let seen: string[] = [];
  backend.run = function (this: typeof backend, op, ...rest) {
    seen.push(op);
    return run.call(this, op, ...rest);
  } as typeof run;
  return {
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
    restore: () => {
      backend.run = run;
    },
  };
}
