/**
 * The registry of layer classes for Keras configs: the built-in table (layer-table.ts), the model
 * classes (registered by model-config.ts) and the custom classes registered with
 * `registerKerasSerializable` (Keras's `register_keras_serializable`, `registered_name` 'package>Name').
 * `layerToKerasConfig` / `layerFromKerasConfig` translate one layer (a model included) to and from
 * Keras 3's `{ module, class_name, config, registered_name, build_config }`.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';
import { Layer } from '../layer.ts';
import { type KerasObject, configError, expectKerasObject } from './keras-objects.ts';
import { BUILTIN_LAYER_SPECS } from './layer-table.ts';
import {
  ConfigReader, type LayerClass, type LayerSpec, NESTED_LAYERS, type ReadContext, baseConfig, readBase, specFromConfig, specToConfig,
} from './layer-spec.ts';

const BY_CLASS = new Map<LayerClass, LayerSpec>();
const BY_NAME = new Map<string, LayerSpec>();

/**
 * Adds (or replaces) the config translation of a layer class. Built-in classes are in layer-table.ts; a layer file
 * of another module may register its own spec here.
 */
export function registerLayerSpec(spec: LayerSpec): void {
  BY_CLASS.set(spec.cls, spec);
  BY_NAME.set(spec.registeredName ?? spec.className, spec);
}

for (const spec of BUILTIN_LAYER_SPECS) registerLayerSpec(spec);

/** The spec of a layer's exact class, if any. */
export function specOf(layer: Layer<any, any>): LayerSpec | undefined {
  return BY_CLASS.get(layer.constructor as LayerClass);
}

/** Every registered spec (built-in, models, custom). */
export function registeredSpecs(): LayerSpec[] {
  return [...BY_CLASS.values()];
}

/** A custom layer class: built from its config by `fromConfig` if it has one, else by `new cls(config)`. */
export interface SerializableLayerClass {
  new (...args: any[]): Layer<any, any>;
  /** Optional: builds the layer from what its getConfig() returned. */
  fromConfig?: (config: Record<string, unknown>) => Layer<any, any>;
}

/** Options of {@link registerKerasSerializable}. */
export interface RegisterOptions {
  /** Keras's package (default 'Custom', as Keras). */
  package?: string;
  /** The registered name (default: the class name). */
  name?: string;
}

/** The spec of a custom class: its getConfig() as the config (name, trainable first), new cls(config) to rebuild. */
function customSpec(cls: SerializableLayerClass, className: string, registeredName: string | null): LayerSpec {
  return {
    className,
    cls,
    module: registeredName ? registeredName.split('>')[0] : 'custom',
    registeredName,
    toConfig: (layer: Layer<any, any>) => {
      const { name: _n, trainable: _t, ...rest } = layer.getConfig();
      return structuredClone(rest);
    },
    fromConfig: (r, base) => {
      const config: Record<string, unknown> = { ...base };
      for (const k of Object.keys(r.cfg)) if (!(k in base) && k !== 'name' && k !== 'trainable' && k !== 'dtype') config[k] = r.take(k);
      return cls.fromConfig ? cls.fromConfig(config) : new cls(config);
    },
  };
}

/**
 * Registers a custom layer class for Keras configs (Keras's `@keras.saving.register_keras_serializable(package,
 * name)`): it is written with `registered_name` `'<package>><name>'` and its `getConfig()` as its config, and read
 * back with the class's static `fromConfig(config)` if it has one, else `new cls(config)` (config: what getConfig
 * returned, name and trainable included). Returns the class, so it can wrap a class expression.
 * @throws {@link ArgumentError} for a non-class, or a name already registered to another class.
 */
export function registerKerasSerializable<C extends SerializableLayerClass>(cls: C, options: RegisterOptions = {}): C {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) {
    throw new ArgumentError(`registerKerasSerializable: expected a Layer subclass. Received: ${typeof cls === 'function' ? cls.name : typeof cls}`);
  }
  const pkg = options.package ?? 'Custom';
  const name = options.name ?? cls.name;
  if (pkg.includes('>') || name.includes('>')) throw new ArgumentError(`registerKerasSerializable: expected package and name without '>'. Received: ${pkg}, ${name}`);
  const registered = `${pkg}>${name}`;
  const prior = BY_NAME.get(registered);
  if (prior && prior.cls !== cls) throw new ArgumentError(`registerKerasSerializable: '${registered}' is already registered to class ${prior.cls.name}`);
  registerLayerSpec(customSpec(cls, cls.name, registered));
  return cls;
}

/** `[null, 28, 28]` from a layer's built shape (a list of shapes for a layer that takes a list). */
function buildConfig(layer: Layer<any, any>, spec: LayerSpec): { input_shape: unknown } | undefined {
  if (spec.buildShape) {
    const s = spec.buildShape(layer);
    return s === undefined ? undefined : { input_shape: structuredClone(s) };
  }
  if (!layer.built || layer.buildShape === undefined || layer.constructor.name === 'InputLayer') return undefined;
  return { input_shape: structuredClone(layer.buildShape) };
}

/**
 * A layer's Keras 3 config: `{ module, class_name, config, registered_name, build_config? }` (a model's is its
 * whole architecture). Field names are Keras's snake_case; initializers, regularizers and constraints are nested
 * serialized objects; dtype is a DTypePolicy object.
 * @throws {@link ArgumentError} for a layer class without a registered translation.
 */
export function layerToKerasConfig(layer: Layer<any, any>): KerasObject {
  const spec = specOf(layer);
  if (!spec) {
    throw new ArgumentError(`layerToKerasConfig: layer '${layer.name}' of class ${layer.constructor.name} has no Keras config translation; register it with dt.utils.registerKerasSerializable(${layer.constructor.name})`);
  }
  const own = specToConfig(spec, layer);
  const config = spec.ownBase ? own : { ...baseConfig(layer), ...own };
  const out: KerasObject = { module: spec.module ?? 'keras.layers', class_name: spec.className, config, registered_name: spec.registeredName ?? null };
  const bc = buildConfig(layer, spec);
  if (bc) out.build_config = bc;
  return out;
}

/** Options of {@link layerFromKerasConfig}. */
export interface FromConfigOptions {
  /** Classes by class name or registered name, used before the registry (Keras's custom_objects). */
  customObjects?: Record<string, unknown>;
  /** Where the layer sits (for error messages), e.g. "sequential/layers[3]". */
  where?: string;
  /** Whether to build the layer from `build_config` (default true; models build their layers themselves). */
  build?: boolean;
}

/** The spec for a serialized object: customObjects first, then registered names, then Keras class names. */
function lookupSpec(o: KerasObject, ctx: ReadContext): LayerSpec | undefined {
  const custom = ctx.customObjects;
  for (const key of [o.registered_name, o.class_name]) {
    if (typeof key !== 'string') continue;
    const c = custom && Object.hasOwn(custom, key) ? custom[key] : undefined;
    if (typeof c === 'function') return BY_CLASS.get(c as LayerClass) ?? customSpec(c as SerializableLayerClass, o.class_name, null);
  }
  if (typeof o.registered_name === 'string' && BY_NAME.has(o.registered_name)) return BY_NAME.get(o.registered_name);
  return BY_NAME.get(o.class_name);
}

/**
 * A layer (or a model) from its Keras config: Keras 3's `{ module, class_name, config, registered_name, build_config }`
 * or a legacy Keras 2 `{ class_name, config }`. A built layer's `build_config` builds it (its weights exist).
 * @throws {@link ArgumentError} naming the class and where it sits for a class ditto does not have, or a field
 * value it cannot honour; {@link DataFormatError} for a malformed config.
 */
export function layerFromKerasConfig(obj: unknown, options: FromConfigOptions = {}): Layer<any, any> {
  const where = options.where ?? '';
  const o = expectKerasObject(obj, where);
  const ctx: ReadContext = { customObjects: options.customObjects };
  const named = typeof o.config.name === 'string' ? `('${o.config.name}')` : '';
  const label = where && named ? `${where} ${named}` : where || named;
  const spec = lookupSpec(o, ctx);
  if (!spec) {
    const reg = typeof o.registered_name === 'string' && o.registered_name !== o.class_name ? ` (registered name '${o.registered_name}')` : '';
    throw configError(label, `unsupported Keras class '${o.class_name}'${reg}: ditto has no such layer; a custom class needs dt.utils.registerKerasSerializable or customObjects`);
  }
  // A model's own reader gets only where it sits: its layers' paths start with its name.
  const r = new ConfigReader(o.class_name, o.config, spec.ownBase && spec.className !== 'InputLayer' ? where : label, spec);
  const base = spec.ownBase ? {} : readBase(r);
  const layer = specFromConfig(spec, r, base, ctx);
  const bc = o.build_config;
  if ((options.build ?? true) && bc && typeof bc === 'object' && bc.input_shape !== undefined && bc.input_shape !== null && !layer.built) {
    try {
      layer.ensureBuilt(bc.input_shape as never);
    } catch (e) {
      throw configError(label, `cannot build ${o.class_name} from build_config ${JSON.stringify(bc.input_shape)}: ${(e as Error).message}`);
    }
  }
  return layer;
}

NESTED_LAYERS.toConfig = layerToKerasConfig;
NESTED_LAYERS.fromConfig = (obj, ctx, where) => layerFromKerasConfig(obj, { customObjects: ctx.customObjects, where, build: false });
