/**
 * How one layer class maps to Keras 3's config format: a LayerSpec lists, per field, the Keras
 * snake_case key, the TF.js-style camelCase option, how the value is translated (activation,
 * initializer, regularizer, constraint, optional) and where the layer keeps it; positional
 * constructor arguments come first. The generic writer and reader here use it: unknown keys of a
 * read config are refused unless they leave the computation unchanged (`harmless`).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';
import type { Layer, LayerConfig } from '../layer.ts';
import {
  type KerasObject, configError, dtypePolicy, parseActivation, parseConstraint, parseDType, parseInitializer, parseRegularizer,
  serializeConstraint, serializeInitializer, serializeRegularizer,
} from './keras-objects.ts';

/**
 * How a field's value is translated: `raw` as is (tuples as arrays), `opt` as is but Keras's null is ditto's
 * "not given", `act` an activation name, `init`/`reg`/`con` a serialized initializer, regularizer or constraint,
 * `axis` one axis (Keras 2 wrote some as a one-element list: BatchNormalization's `[3]`).
 */
export type FieldKind = 'raw' | 'opt' | 'act' | 'init' | 'reg' | 'con' | 'axis';

/** One field of a layer's config. */
export interface FieldSpec {
  /** The Keras config key (snake_case). */
  keras: string;
  /** The ditto option (camelCase); for positional arguments only a label. */
  ts: string;
  /** How the value is translated (default raw). */
  kind: FieldKind;
  /** Reads the value from a layer (default: the public property `ts`). */
  read?: (layer: any) => unknown;
}

/** A class that can be rebuilt from a config. */
export type LayerClass = abstract new (...args: any[]) => Layer<any, any>;

/** The config translation of one layer class. */
export interface LayerSpec {
  /** Keras's class_name. */
  className: string;
  /** The ditto class (instances of subclasses do not match: each class needs its own spec). */
  cls: LayerClass;
  /** Keras's module (default 'keras.layers'). */
  module?: string;
  /** Positional constructor arguments, in order. */
  args?: FieldSpec[];
  /** Options (the last constructor argument). */
  fields?: FieldSpec[];
  /** Keys written with a fixed value (e.g. data_format 'channels_last'); read back only with that value. */
  fixed?: Record<string, unknown>;
  /** Further keys this class accepts and ignores when their value passes the test (they change nothing). */
  harmless?: Record<string, (v: unknown) => boolean>;
  /** `package>Name` for a registered custom class (null for Keras's own). */
  registeredName?: string | null;
  /** Whether the spec writes and reads name, trainable and dtype itself (InputLayer, models). */
  ownBase?: boolean;
  /** The input shape written as build_config (default: the layer's built shape, when built). */
  buildShape?: (layer: any) => unknown;
  /** Custom writer of the class-specific part of the config (replaces args/fields). */
  toConfig?: (layer: any) => Record<string, unknown>;
  /** Custom reader (replaces args/fields): gets the reader and the base options { name, trainable, inputShape }. */
  fromConfig?: (r: ConfigReader, base: LayerConfig, ctx: ReadContext) => Layer<any, any>;
}

/** What a reader needs besides the config: custom classes, and how to read nested layers. */
export interface ReadContext {
  /** Custom classes by class name or registered name (`modelFromJSON`'s customObjects). */
  customObjects?: Record<string, unknown>;
}

/**
 * How a wrapper's spec (RNN's cell, Bidirectional's and TimeDistributed's layers) translates the layers it holds:
 * installed by layer-registry.ts, which imports the table (so the table cannot import it).
 */
export const NESTED_LAYERS: {
  /** A layer's whole Keras object (layerToKerasConfig). */
  toConfig?: (layer: Layer<any, any>) => KerasObject;
  /** A layer from its Keras object, unbuilt (layerFromKerasConfig). */
  fromConfig?: (obj: unknown, ctx: ReadContext, where: string) => Layer<any, any>;
} = {};

/** `f('use_bias', 'useBias')`: a field spec. */
export function f(keras: string, ts: string, kind: FieldKind = 'raw', read?: (layer: any) => unknown): FieldSpec {
  return { keras, ts, kind, read };
}

/** A reader of a private member that a layer keeps (fails loudly if the layer no longer has it). */
export function member(key: string, sub?: string): (layer: any) => unknown {
  return (layer) => {
    if (!(key in layer)) throw new ArgumentError(`Keras config: ${layer.constructor.name} has no member '${key}' to serialize (the layer changed: update src/nn/saving/layer-table.ts)`);
    const v = layer[key];
    return sub === undefined ? v : v?.[sub];
  };
}

/**
 * Keys any layer config may carry with these values and which ditto ignores because they change nothing (listed in
 * docs/saving.md by scripts/keras-support-doc.ts).
 */
export const HARMLESS_LAYER_KEYS: Readonly<Record<string, (v: unknown) => boolean>> = {
  data_format: (v) => v === 'channels_last' || v === null,
  quantization_config: (v) => v === null,
  lora_rank: (v) => v === null,
  lora_alpha: () => true, // used only with lora_rank
  synchronized: (v) => v === false,
  autocast: (v) => v === true,
  fused: () => true, // a TF implementation choice (Keras 2 BatchNormalization)
  renorm: (v) => v === false,
  renorm_clipping: (v) => v === null,
  renorm_momentum: () => true, // used only with renorm
  virtual_batch_size: (v) => v === null,
  adjustment: (v) => v === null,
  input_dtype: (v) => v === 'float32' || v === null,
};

/** A key-by-key reader of a layer's Keras config: each key read is marked; `finish` refuses the rest. */
export class ConfigReader {
  private readonly used = new Set<string>();

  /**
   * @param className the Keras class, for messages
   * @param cfg the config object (snake_case)
   * @param where where the layer sits in the model, for messages
   * @param spec the class's spec (fixed and harmless keys)
   */
  constructor(readonly className: string, readonly cfg: Record<string, unknown>, readonly where: string, private readonly spec?: LayerSpec) {}

  /** Whether the config has `key`. */
  has(key: string): boolean {
    return Object.hasOwn(this.cfg, key);
  }

  /** The value of `key` (undefined when absent), marked as read. */
  take(key: string): unknown {
    this.used.add(key);
    return this.cfg[key];
  }

  /** The value of field `fs` translated to ditto's option (undefined when absent). */
  field(fs: FieldSpec): unknown {
    if (!this.has(fs.keras)) return undefined;
    const v = this.take(fs.keras);
    const where = `${this.where}, field ${fs.keras}`;
    switch (fs.kind) {
      case 'raw': return v;
      case 'opt': return v === null ? undefined : v;
      case 'act': return parseActivation(v, where);
      case 'init': return v === null ? undefined : parseInitializer(v, where);
      case 'reg': return parseRegularizer(v, where);
      case 'con': return parseConstraint(v, where);
      case 'axis': return Array.isArray(v) && v.length === 1 ? v[0] : v;
    }
  }

  /** Refuses every key not read, unless harmless (an unknown key could change what the layer computes). */
  finish(): void {
    for (const [k, v] of Object.entries(this.cfg)) {
      if (this.used.has(k)) continue;
      const fixed = this.spec?.fixed;
      if (fixed && Object.hasOwn(fixed, k) && (JSON.stringify(fixed[k]) === JSON.stringify(v) || (k === 'data_format' && v === null))) continue;
      const test = this.spec?.harmless?.[k] ?? HARMLESS_LAYER_KEYS[k] ?? ((k.endsWith('_regularizer') || k.endsWith('_constraint')) ? (x: unknown) => x === null : undefined);
      if (test && test(v)) continue;
      throw configError(this.where, `unsupported field ${k}=${JSON.stringify(v)?.slice(0, 120)} of ${this.className}: ditto cannot honour it`);
    }
  }
}

/** The Keras value of field `fs` of `layer`. */
function writeField(layer: any, fs: FieldSpec): unknown {
  const v = fs.read ? fs.read(layer) : layer[fs.ts];
  switch (fs.kind) {
    case 'raw': case 'axis': return v === undefined ? null : structuredClone(v);
    case 'opt': return v === undefined ? null : structuredClone(v);
    case 'act': return v ?? 'linear';
    case 'init': return serializeInitializer(v as never);
    case 'reg': return serializeRegularizer(v as never);
    case 'con': return serializeConstraint(v as never);
  }
}

/** The base keys of every layer config, Keras's order: name, trainable, dtype. */
export function baseConfig(layer: Layer<any, any>): Record<string, unknown> {
  return { name: layer.name, trainable: layer.trainable, dtype: dtypePolicy() };
}

/** The class-specific part of a layer's Keras config, by its spec. */
export function specToConfig(spec: LayerSpec, layer: Layer<any, any>): Record<string, unknown> {
  if (spec.toConfig) return spec.toConfig(layer);
  const out: Record<string, unknown> = {};
  for (const fs of [...(spec.args ?? []), ...(spec.fields ?? [])]) out[fs.keras] = writeField(layer, fs);
  return { ...out, ...structuredClone(spec.fixed ?? {}) };
}

/** The base options of a read config: name, trainable, dtype (checked) and Keras 2's batch_input_shape. */
export function readBase(r: ConfigReader): LayerConfig {
  const base: { name?: string; trainable?: boolean; inputShape?: number[] } = {};
  const name = r.take('name');
  if (name !== undefined && name !== null) {
    if (typeof name !== 'string') throw configError(r.where, `expected name to be a string. Received: ${JSON.stringify(name)}`, true);
    base.name = name;
  }
  const trainable = r.take('trainable');
  if (trainable !== undefined && trainable !== null) {
    if (typeof trainable !== 'boolean') throw configError(r.where, `expected trainable to be a boolean. Received: ${JSON.stringify(trainable)}`, true);
    base.trainable = trainable;
  }
  parseDType(r.take('dtype'), `${r.where}, field dtype`);
  for (const key of ['batch_input_shape', 'batch_shape']) {
    if (!r.has(key)) continue;
    const s = r.take(key);
    if (s === null) continue;
    if (!Array.isArray(s) || s.slice(1).some((d) => !Number.isInteger(d))) {
      throw configError(r.where, `expected ${key} to be a list [batch, ...dims] of integers. Received: ${JSON.stringify(s)}`, true);
    }
    base.inputShape = s.slice(1) as number[];
  }
  return base;
}

/** A layer rebuilt from the class-specific part of its config, by its spec; wraps constructor errors with `where`. */
export function specFromConfig(spec: LayerSpec, r: ConfigReader, base: LayerConfig, ctx: ReadContext): Layer<any, any> {
  let layer: Layer<any, any>;
  try {
    if (spec.fromConfig) layer = spec.fromConfig(r, base, ctx);
    else {
      const args = (spec.args ?? []).map((fs) => {
        if (!r.has(fs.keras)) throw configError(r.where, `missing field ${fs.keras} of ${spec.className}`, true);
        return r.field(fs);
      });
      const opts: Record<string, unknown> = { ...base };
      for (const fs of spec.fields ?? []) {
        const v = r.field(fs);
        if (v !== undefined) opts[fs.ts] = v;
      }
      layer = new (spec.cls as unknown as new (...a: unknown[]) => Layer<any, any>)(...args, opts);
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('Keras config:')) throw e;
    throw configError(r.where, `cannot build ${spec.className}: ${(e as Error).message}`);
  }
  r.finish();
  return layer;
}

export type { KerasObject };
