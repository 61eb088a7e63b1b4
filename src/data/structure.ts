/**
 * Element structures of a Dataset: a tensor, or arrays / plain objects nesting tensors (Keras and
 * tf.data "nested structures"). Flattening order: arrays by index, objects by key insertion order.
 * Part of src/data: imports src/core only.
 */
import { ArgumentError, Tensor, keep } from '../core/internal.ts';

/** A tensor, or arrays / plain objects of them (nested). */
export type TensorStructure = Tensor | readonly TensorStructure[] | { readonly [key: string]: TensorStructure };

const MAX_DEPTH = 16;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** The leaves of `s` in flattening order; throws unless every leaf is a Tensor. */
export function flattenStructure(fn: string, s: unknown, path = 'element', depth = 0): Tensor[] {
  if (s instanceof Tensor) return [s];
  if (depth > MAX_DEPTH) throw new ArgumentError(`${fn}: expected a structure nested at most ${MAX_DEPTH} deep. Received: deeper nesting at ${path}`);
  if (Array.isArray(s)) return s.flatMap((v, i) => flattenStructure(fn, v, `${path}[${i}]`, depth + 1));
  if (isPlainObject(s)) return Object.keys(s).flatMap((k) => flattenStructure(fn, s[k], `${path}.${k}`, depth + 1));
  const got = s === null ? 'null' : Array.isArray(s) ? 'an array' : typeof s === 'object' ? `an object of type ${(s as object).constructor?.name}` : `${typeof s} ${String(s)}`;
  throw new ArgumentError(`${fn}: expected ${path} to be a Tensor, an array or a plain object of Tensors. Received: ${got}`);
}

/** A structure shaped like `template` whose leaves are `leaves` (in flattening order). */
export function rebuildStructure<T>(template: T, leaves: readonly Tensor[]): T {
  let k = 0;
  const build = (t: unknown): unknown => {
    if (t instanceof Tensor) return leaves[k++];
    if (Array.isArray(t)) return t.map(build);
    const o: Record<string, unknown> = {};
    for (const key of Object.keys(t as object)) o[key] = build((t as Record<string, unknown>)[key]);
    return o;
  };
  return build(template) as T;
}

/** Every tensor found in a value (tensors, arrays and plain objects, nested), without duplicates. */
export function tensorsIn(v: unknown, into: Set<Tensor> = new Set(), depth = 0): Set<Tensor> {
  if (v instanceof Tensor) into.add(v);
  else if (depth <= MAX_DEPTH && Array.isArray(v)) for (const x of v) tensorsIn(x, into, depth + 1);
  else if (depth <= MAX_DEPTH && isPlainObject(v)) for (const x of Object.values(v)) tensorsIn(x, into, depth + 1);
  return into;
}

/** Disposes every tensor in `v` (an element the pipeline owns and will not hand out). */
export function disposeElement(v: unknown): void {
  for (const t of tensorsIn(v)) t.dispose();
}

/** Disposes the tensors of `input` that do not appear in `output` (a stage consumed `input`). */
export function disposeConsumed(input: unknown, output: unknown): void {
  const kept = tensorsIn(output);
  for (const t of tensorsIn(input)) if (!kept.has(t)) t.dispose();
}

/**
 * Exempts an element's tensors from enclosing tidy scopes: elements belong to the consumer, who
 * disposes them, even if it pulled them from inside a tidy.
 */
export function keepElement<T>(v: T): T {
  for (const t of tensorsIn(v)) if (!t.isDisposed) keep(t);
  return v;
}

/** A copy of `v` with every tensor replaced by `f(tensor)` (arrays and plain objects rebuilt). */
export function mapTensors(v: unknown, f: (t: Tensor) => Tensor, depth = 0): unknown {
  if (v instanceof Tensor) return f(v);
  if (depth <= MAX_DEPTH && Array.isArray(v)) return v.map((x) => mapTensors(x, f, depth + 1));
  if (depth <= MAX_DEPTH && isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = mapTensors(v[k], f, depth + 1);
    return o;
  }
  return v;
}
