/**
 * Initializers by name: `get` (Keras string names such as 'glorot_uniform', class names, instances, serialized
 * objects), `serialize` and `deserialize` ({ className, config }).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, SeedGenerator, type SeedGeneratorState } from '../../core/internal.ts';
import { Constant, Ones, Zeros } from './constant.ts';
import { Identity } from './identity.ts';
import { Initializer, type InitializerConfig } from './initializer.ts';
import { Orthogonal } from './orthogonal.ts';
import { RandomNormal } from './random-normal.ts';
import { RandomUniform } from './random-uniform.ts';
import { TruncatedNormal } from './truncated-normal.ts';
import { VarianceScaling } from './variance-scaling.ts';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform } from './variance-scaling-presets.ts';

/** { className, config }: the serialized form of an initializer. */
export interface SerializedInitializer {
  /** The Keras class name, e.g. 'GlorotUniform'. */
  className: string;
  /** The constructor arguments, as getConfig() returns them. */
  config: InitializerConfig;
}

type InitializerClass = (new (config?: never) => Initializer) & { readonly className: string };

const CLASSES: readonly InitializerClass[] = [
  RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, GlorotNormal, GlorotUniform, HeNormal, HeUniform,
  LecunNormal, LecunUniform, Orthogonal, Zeros, Ones, Constant, Identity,
];

const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Every accepted name -> class: class names, their snake_case forms, and Keras's aliases. */
const BY_NAME: ReadonlyMap<string, InitializerClass> = (() => {
  const m = new Map<string, InitializerClass>();
  for (const c of CLASSES) {
    m.set(c.className, c);
    m.set(snakeCase(c.className), c);
  }
  const aliases: [string, InitializerClass][] = [
    ['uniform', RandomUniform], ['normal', RandomNormal], ['one', Ones], ['zero', Zeros],
    ['OrthogonalInitializer', Orthogonal], ['orthogonal_initializer', Orthogonal],
    ['IdentityInitializer', Identity], ['identity_initializer', Identity],
  ];
  for (const [k, c] of aliases) m.set(k, c);
  return m;
})();

/** Every name `get` accepts, sorted. */
export function initializerNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

function lookup(fn: string, name: unknown): InitializerClass {
  const c = typeof name === 'string' ? BY_NAME.get(name) : undefined;
  if (!c) {
    const shown = typeof name === 'string' ? JSON.stringify(name) : String(name);
    throw new ArgumentError(`${fn}: expected the name of an initializer (e.g. 'glorot_uniform', 'he_normal', 'zeros', 'orthogonal', or a class name such as 'GlorotUniform'). Received: ${shown}`);
  }
  return c;
}

/** { className, config } of an initializer (config as getConfig()). */
export function serialize(initializer: Initializer): SerializedInitializer {
  if (!(initializer instanceof Initializer)) {
    throw new ArgumentError(`initializers.serialize: expected an Initializer. Received: ${initializer === null ? 'null' : typeof initializer}`);
  }
  return { className: initializer.className, config: initializer.getConfig() };
}

function isSeedGeneratorConfig(v: unknown): v is { className: 'SeedGenerator'; config: SeedGeneratorState } {
  return v !== null && typeof v === 'object' && (v as { className?: unknown }).className === 'SeedGenerator';
}

/**
 * Rebuilds an initializer from { className, config } (Keras's { class_name, config } is accepted too). A serialized
 * SeedGenerator seed becomes a new SeedGenerator in that state; a null seed draws a fresh default seed, as in Keras.
 */
export function deserialize(obj: SerializedInitializer | { class_name: string; config?: InitializerConfig }): Initializer {
  const fn = 'initializers.deserialize';
  if (obj === null || typeof obj !== 'object') {
    throw new ArgumentError(`${fn}: expected { className, config }. Received: ${obj === null ? 'null' : typeof obj}`);
  }
  const name = 'className' in obj ? obj.className : obj.class_name;
  const cls = lookup(fn, name);
  const config: InitializerConfig = { ...(obj.config ?? {}) };
  if (config.seed === null) delete config.seed;
  else if (isSeedGeneratorConfig(config.seed)) config.seed = SeedGenerator.fromState(config.seed.config);
  return new cls(config as never);
}

/**
 * An initializer from a name ('glorot_uniform', 'GlorotUniform', 'he_normal', 'zeros', 'orthogonal', ...; built
 * with default arguments), an Initializer (returned as is), or a serialized { className, config }.
 */
export function get(identifier: InitializerId): Initializer {
  return resolveInitializer('initializers.get', identifier);
}

/** What a layer accepts as an initializer argument: a name, an Initializer, or a serialized { className, config }. */
export type InitializerId = string | Initializer | SerializedInitializer;

/**
 * `get` for layers: resolves an initializer argument, with errors that start with the layer's name `fn`
 * (e.g. "Dense: expected the name of an initializer ... Received: "glorot"").
 */
export function resolveInitializer(fn: string, id: InitializerId): Initializer {
  if (id instanceof Initializer) return id;
  if (typeof id === 'string') return new (lookup(fn, id))();
  if (id !== null && typeof id === 'object') return deserialize(id);
  throw new ArgumentError(`${fn}: expected an initializer name, an Initializer or { className, config }. Received: ${id === null ? 'null' : typeof id}`);
}
