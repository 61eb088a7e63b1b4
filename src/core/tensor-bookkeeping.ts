/**
 * Tensor bookkeeping: ids in creation order, the count of live tensors (`memory().numTensors`),
 * and the stack of open tidy scopes with the tensors each one will dispose. It sits below
 * tensor.ts and sees tensors as a type only, so that `Tensor.dispose` can use it directly.
 * Part of src/core: imports nothing outside src/core.
 */
import type { Tensor } from './tensor.ts';

let nextId = 1;
let liveTensors = 0;
/** Open tidy scopes, innermost last: the tensors each one disposes when it closes. */
const scopes: Set<Tensor>[] = [];

/** The id the next tensor will get (tensors with smaller ids existed before). */
export function peekNextId(): number {
  return nextId;
}

/** Number of tensors (including variables) not yet disposed. */
export function numTensors(): number {
  return liveTensors;
}

/** Counts a new tensor and returns its id. */
export function countNewTensor(): number {
  liveTensors++;
  return nextId++;
}

/** Uncounts a disposed tensor and removes it from every scope. */
export function uncountTensor(t: Tensor): void {
  liveTensors--;
  untrack(t);
}

/** Hands `t` to the innermost open scope, if any. */
export function track(t: Tensor): void {
  const s = scopes[scopes.length - 1];
  if (s) s.add(t);
}

/** Removes `t` from every open scope (it will not be disposed by them). */
export function untrack(t: Tensor): void {
  for (const s of scopes) s.delete(t);
}

/** Opens a scope; tensors created until it closes are added to the returned set. */
export function openScope(): Set<Tensor> {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  return scope;
}

/** Closes the innermost scope. */
export function closeScope(): void {
  scopes.pop();
}

/** The innermost open scope, if any. */
export function innermostScope(): Set<Tensor> | undefined {
  return scopes[scopes.length - 1];
}
