/**
 * Keras-style default names: a class name in snake_case with a per-process counter suffix
 * (`conv2d`, `conv2d_1`, ...), as keras.backend.get_uid does. Deterministic in program order.
 * Part of src/nn: imports nothing.
 */
const counters = new Map<string, number>();

/** Keras's to_snake_case: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d. */
export function toSnakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The next unique name for `prefix`: prefix, prefix_1, prefix_2, ... */
export function uniqueName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Resets the counters (Keras's clear_session; for tests). */
export function resetNames(): void {
  counters.clear();
}
