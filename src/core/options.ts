/**
 * The check every public function and constructor applies to its options object, with Keras's kind of message
 * for a misspelt keyword argument. Part of src/core: imports errors.ts only.
 */
import { ArgumentError } from './errors.ts';

/** How an option value is shown in a message: strings quoted, others as JavaScript prints them. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string ${JSON.stringify(v)}`;
  if (typeof v === 'function') return 'a function';
  return `${typeof v} ${String(v)}`;
}

/**
 * Throws an {@link ArgumentError} unless `options` is undefined or a plain options object whose keys are all in
 * `allowed`: `Dense: unrecognized options {activaton}. Expected one of: activation, useBias, ...`. `unsupported`
 * maps Keras options that ditto does not support yet to the reason, so that they fail with it instead of being ignored.
 * With `allowed` undefined only the type is checked (a user subclass may take more keys).
 */
export function checkOptions(
  fn: string,
  options: unknown,
  allowed?: readonly string[],
  unsupported: Readonly<Record<string, string>> = {},
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Promise) {
    throw new ArgumentError(`${fn}: expected an options object. Received: ${describe(options)}`);
  }
  if (!allowed) return;
  const keys = Object.keys(options);
  for (const k of keys) {
    if (Object.prototype.hasOwnProperty.call(unsupported, k)) {
      throw new ArgumentError(`${fn}: the option ${k} is not supported yet: ${unsupported[k]}. Received: ${k}=${JSON.stringify((options as Record<string, unknown>)[k]) ?? String((options as Record<string, unknown>)[k])}`);
    }
  }
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length) {
    const want = allowed.length ? `Expected one of: ${allowed.join(', ')}` : 'Expected no options';
    throw new ArgumentError(`${fn}: unrecognized options {${unknown.join(', ')}}. ${want}`);
  }
}
