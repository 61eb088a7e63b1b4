/**
 * The small serialized objects of Keras 3's config format (keras/src/saving/serialization_lib.py):
 * `{ module, class_name, config, registered_name }` for initializers, regularizers, constraints and
 * the DTypePolicy, activations as strings; both directions, with errors that name where in the
 * model the object sits. Also the config-error helper every reader here uses.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DataFormatError } from '../../core/internal.ts';
import { type Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from '../constraints.ts';
import { Initializer, deserialize as deserializeInitializer, resolveInitializer, type InitializerId } from '../initializers/index.ts';
import { L1, L1L2, L2, OrthogonalRegularizer, type Regularizer } from '../regularizers.ts';

/** A serialized Keras object: `{ module, class_name, config, registered_name }` (plus, for layers, build_config). */
export interface KerasObject {
  /** The Python module, e.g. 'keras.layers' (absent in legacy Keras 2 configs). */
  module?: string;
  /** The class name, e.g. 'Dense'. */
  class_name: string;
  /** The constructor arguments, snake_case. */
  config: Record<string, unknown>;
  /** `package>Name` for registered custom classes, else null. */
  registered_name?: string | null;
  /** For built layers: `{ input_shape }`. */
  build_config?: { input_shape?: unknown } | null;
  /** Functional models: the layer's name beside its config. */
  name?: string;
  /** Functional models: the layer's calls. */
  inbound_nodes?: unknown;
  [key: string]: unknown;
}

/**
 * An error in a Keras config: the message names what is wrong and where (`at sequential/layers[3] ('lstm')`).
 * Unsupported classes and values are {@link ArgumentError}s; malformed configs {@link DataFormatError}s.
 */
export function configError(where: string, message: string, malformed = false): Error {
  const text = `Keras config: ${message}${where ? ` (at ${where})` : ''}`;
  return malformed ? new DataFormatError(text) : new ArgumentError(text);
}

/** Whether `v` is a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `v` as a serialized object `{ class_name, config }`, or a DataFormatError naming `where`. */
export function expectKerasObject(v: unknown, where: string): KerasObject {
  if (!isObject(v) || typeof v.class_name !== 'string') {
    throw configError(where, `expected a serialized object { class_name, config }. Received: ${JSON.stringify(v)?.slice(0, 120)}`, true);
  }
  if (v.config !== undefined && v.config !== null && !isObject(v.config)) {
    throw configError(where, `expected the config of '${v.class_name}' to be an object. Received: ${JSON.stringify(v.config)?.slice(0, 120)}`, true);
  }
  return { ...v, config: (v.config ?? {}) as Record<string, unknown> } as KerasObject;
}

// ------------------------------------------------------------------ dtype

/** Keras 3's float32 DTypePolicy object, as written in every layer config. */
export function dtypePolicy(name = 'float32'): KerasObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/**
 * The dtype name of a layer config's `dtype`: a DTypePolicy object, a plain string (older Keras 3 and Keras 2),
 * or null. Throws for a policy ditto does not run (mixed precision, float16, ...) unless listed in `allowed`.
 */
export function parseDType(v: unknown, where: string, allowed: readonly string[] = ['float32']): string {
  if (v === undefined || v === null) return 'float32';
  let name: unknown = v;
  if (isObject(v)) {
    const o = expectKerasObject(v, where);
    if (o.class_name !== 'DTypePolicy' && o.class_name !== 'Policy' && o.class_name !== 'FloatDTypePolicy') {
      throw configError(where, `unsupported dtype policy class '${o.class_name}' (ditto computes in float32)`);
    }
    name = o.config.name;
  }
  if (typeof name !== 'string' || !allowed.includes(name)) {
    throw configError(where, `unsupported dtype ${JSON.stringify(name)}: ditto supports ${allowed.map((a) => `'${a}'`).join(', ')} here`);
  }
  return name;
}

// ------------------------------------------------------------------ activations

/** A Keras activation field: a string name, or a serialized built-in function; null means linear. */
export function parseActivation(v: unknown, where: string): string {
  if (v === undefined || v === null) return 'linear';
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.class_name === 'string') {
    // Keras writes non-builtin functions as { module, class_name: 'function', config: 'name', registered_name }.
    if (v.class_name === 'function' && typeof v.config === 'string' && (v.registered_name === null || v.registered_name === undefined || v.registered_name === v.config)) return v.config;
    throw configError(where, `unsupported activation ${JSON.stringify(v).slice(0, 120)} (ditto supports Keras's built-in activations by name)`);
  }
  throw configError(where, `expected an activation name. Received: ${JSON.stringify(v)}`, true);
}

// ------------------------------------------------------------------ initializers

/** An initializer as Keras 3 writes it: `{ module: 'keras.initializers', class_name, config, registered_name: null }`. */
export function serializeInitializer(init: InitializerId | { apply: unknown }): KerasObject {
  const i = init instanceof Initializer ? init : resolveInitializer('serializeInitializer', init as InitializerId);
  return { module: 'keras.initializers', class_name: i.className, config: { ...i.getConfig() }, registered_name: null };
}

/** An initializer from a Keras config value (a serialized object, or a name as Keras 2 sometimes writes). */
export function parseInitializer(v: unknown, where: string): Initializer {
  try {
    if (typeof v === 'string') return resolveInitializer('initializer', v);
    const o = expectKerasObject(v, where);
    return deserializeInitializer({ class_name: o.class_name, config: o.config });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('Keras config:')) throw e;
    throw configError(where, `unsupported initializer ${JSON.stringify(v).slice(0, 160)}: ${(e as Error).message}`);
  }
}

// ------------------------------------------------------------------ regularizers

/** A regularizer as Keras 3 writes it (null for none). */
export function serializeRegularizer(r: Regularizer | undefined): KerasObject | null {
  if (!r) return null;
  const cls = r instanceof L1 ? 'L1' : r instanceof L2 ? 'L2' : r instanceof L1L2 ? 'L1L2' : r instanceof OrthogonalRegularizer ? 'OrthogonalRegularizer' : undefined;
  if (!cls) throw new ArgumentError(`serializeRegularizer: expected one of dt.regularizers' classes. Received: ${r.constructor.name}`);
  return { module: 'keras.regularizers', class_name: cls, config: { ...r.getConfig() }, registered_name: null };
}

/** A regularizer from a Keras config value (null: none). */
export function parseRegularizer(v: unknown, where: string): Regularizer | undefined {
  if (v === null || v === undefined) return undefined;
  const o = typeof v === 'string' ? { class_name: v, config: {} } : expectKerasObject(v, where);
  const c = o.config;
  const num = (k: string): number | undefined => {
    const x = c[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'number') throw configError(where, `expected ${o.class_name}.${k} to be a number. Received: ${JSON.stringify(x)}`, true);
    return x;
  };
  const known = (keys: string[]): void => {
    const extra = Object.keys(c).filter((k) => !keys.includes(k));
    if (extra.length) throw configError(where, `unsupported field(s) ${extra.join(', ')} of regularizer '${o.class_name}'`);
  };
  switch (o.class_name) {
    case 'L1': case 'l1': known(['l1']); return new L1({ l1: num('l1') });
    case 'L2': case 'l2': known(['l2']); return new L2({ l2: num('l2') });
    case 'L1L2': case 'l1_l2': known(['l1', 'l2']); return new L1L2({ l1: num('l1'), l2: num('l2') });
    case 'OrthogonalRegularizer': case 'orthogonal_regularizer':
      known(['factor', 'mode']);
      return new OrthogonalRegularizer({ factor: num('factor'), mode: c.mode as 'rows' | 'columns' | undefined });
    default: throw configError(where, `unsupported regularizer class '${o.class_name}' (ditto has L1, L2, L1L2, OrthogonalRegularizer)`);
  }
}

// ------------------------------------------------------------------ constraints

/** A constraint as Keras 3 writes it (null for none); field names translated to Keras's snake_case. */
export function serializeConstraint(c: Constraint | undefined): KerasObject | null {
  if (!c) return null;
  const wrap = (class_name: string, config: Record<string, unknown>): KerasObject => ({ module: 'keras.constraints', class_name, config, registered_name: null });
  if (c instanceof MaxNorm) return wrap('MaxNorm', { max_value: c.maxValue, axis: c.axis });
  if (c instanceof MinMaxNorm) return wrap('MinMaxNorm', { min_value: c.minValue, max_value: c.maxValue, rate: c.rate, axis: c.axis });
  if (c instanceof NonNeg) return wrap('NonNeg', {});
  if (c instanceof UnitNorm) return wrap('UnitNorm', { axis: c.axis });
  throw new ArgumentError(`serializeConstraint: expected one of dt.constraints' classes. Received: ${c.constructor.name}`);
}

/** A constraint from a Keras config value (null: none). */
export function parseConstraint(v: unknown, where: string): Constraint | undefined {
  if (v === null || v === undefined) return undefined;
  const o = typeof v === 'string' ? { class_name: v, config: {} as Record<string, unknown> } : expectKerasObject(v, where);
  const c = o.config;
  const pick = (map: Record<string, string>): Record<string, unknown> => {
    const extra = Object.keys(c).filter((k) => !(k in map));
    if (extra.length) throw configError(where, `unsupported field(s) ${extra.join(', ')} of constraint '${o.class_name}'`);
    return Object.fromEntries(Object.entries(c).map(([k, x]) => [map[k], x]));
  };
  try {
    switch (o.class_name) {
      case 'MaxNorm': case 'max_norm': return new MaxNorm(pick({ max_value: 'maxValue', axis: 'axis' }) as never);
      case 'MinMaxNorm': case 'min_max_norm': return new MinMaxNorm(pick({ min_value: 'minValue', max_value: 'maxValue', rate: 'rate', axis: 'axis' }) as never);
      case 'NonNeg': case 'non_neg': pick({}); return new NonNeg();
      case 'UnitNorm': case 'unit_norm': return new UnitNorm(pick({ axis: 'axis' }) as never);
      default: break;
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('Keras config:')) throw e;
    throw configError(where, `bad constraint ${JSON.stringify(v)}: ${(e as Error).message}`);
  }
  throw configError(where, `unsupported constraint class '${o.class_name}' (ditto has MaxNorm, MinMaxNorm, NonNeg, UnitNorm)`);
}
