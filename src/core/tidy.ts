/**
 * Scopes: `tidy(fn)` disposes every tensor created inside `fn` that it does not return (also when
 * `fn` throws) and moves the returned ones to the enclosing scope; `keep(t)` exempts a tensor.
 * The scope stack itself lives in tensor-bookkeeping.ts.
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from './errors.ts';
import { closeScope, innermostScope, openScope, untrack } from './tensor-bookkeeping.ts';
import { Tensor, Variable, disposeTensor } from './tensor.ts';

/**
 * Runs `fn`; every tensor created inside and not returned (nor kept) is disposed afterwards,
 * also when `fn` throws. Returned tensors move to the enclosing scope.
 */
export function tidy<T>(fn: () => T): T {
  const scope = openScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeScope();
    for (const t of scope) disposeTensor(t);
    throw e;
  }
  closeScope();
  if (result instanceof Promise) {
    for (const t of scope) disposeTensor(t);
    throw new ArgumentError('tidy: expected a synchronous function. Received: a function returning a Promise');
  }
  const keepSet = new Set<Tensor>();
  collectTensors(result, keepSet);
  for (const t of scope) if (!keepSet.has(t)) disposeTensor(t);
  const parent = innermostScope();
  if (parent) for (const t of keepSet) if (!t.isDisposed && !(t instanceof Variable) && !t.isKept) parent.add(t);
  return result;
}

/** Removes `t` from automatic disposal by enclosing tidy scopes. */
export function keep<T extends Tensor>(t: T): T {
  t.markKept();
  untrack(t);
  return t;
}

/** Adds every tensor found in a (nested) result value to `into`. */
function collectTensors(v: unknown, into: Set<Tensor>, depth = 0): void {
  if (v instanceof Tensor) {
    into.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collectTensors(x, into, depth + 1);
  } else if (v && typeof v === 'object' && depth < 8 && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) collectTensors(x, into, depth + 1);
  }
}
