/**
 * Structure keys: Keras 3's names for a model's variables in its weight files
 * (keras/src/saving/saving_lib.py, `_save_state` and `_save_container_state`). A model is walked
 * from the root: every saveable gets a `vars` group under its path; a model's layers form the
 * container `layers`, in which each layer is named by its class name in snake_case with a counter
 * per container (`dense`, `dense_1`, ... for the first, second Dense of that model), never by its
 * own name, so that two builds of one architecture give the same keys whatever the global
 * auto-names. A layer seen before (shared between models) is skipped, its counter still counted.
 * A variable's key is `<path>/vars/<i>`, i its index in the layer's weights (trainable first).
 * Examples: `layers/conv2d/vars/0`, `layers/conv2d_1/vars/1`, a nested model's
 * `layers/sequential/layers/dense/vars/0`; the root model's own group is `vars`.
 * A layer that holds other layers as attributes (Keras walks every saveable attribute, sorted by
 * name) has them under the attribute's name, its own `vars` group holding only its own variables:
 * a recurrent layer's cell `layers/lstm/cell/vars/0..2` (`layers/lstm/vars` empty), Bidirectional's
 * `layers/bidirectional/backward_layer/cell/vars/0` and `.../forward_layer/cell/vars/0`,
 * TimeDistributed's `layers/time_distributed/layer/vars/0`. A sub-saveable's group is named by
 * the last segment of its name (`lstm_cell`, Keras's name; ditto names it `lstm/lstm_cell`).
 * Part of src/nn: imports src/core only.
 */
import type { Variable } from '../../core/internal.ts';
import type { Layer } from '../layer.ts';
import { Bidirectional } from '../layers/bidirectional.ts';
import { RNN } from '../layers/rnn.ts';
import { TimeDistributed } from '../layers/time-distributed.ts';
import { toSnakeCase } from '../naming.ts';

/** One variable of the model with its structure key. */
export interface StructureEntry {
  /** `layers/dense/vars/0` */
  key: string;
  /** The variable. */
  variable: Variable;
}

/** One saveable's `vars` group: its path and the saveable's own name (Keras writes it as the group's `name` attribute). */
export interface StructureGroup {
  /** `layers/dense/vars`, or `vars` for the root. */
  path: string;
  /** The layer's or model's name. */
  name: string;
}

/** A model as the walk sees it: a layer with a container of layers (Keras: Sequential, Functional). */
interface Container {
  /** The layers Keras lists as `model.layers` (a Sequential's leading InputLayer left out). */
  saveableLayers(): readonly Layer<any, any>[];
}

function isContainer(l: Layer<any, any>): l is Layer<any, any> & Container {
  return typeof (l as unknown as Partial<Container>).saveableLayers === 'function';
}

/** The layers a layer holds as attributes, by Keras's attribute name, in Keras's (sorted) order. */
function attributeLayers(l: Layer<any, any>): [string, Layer<any, any>][] {
  if (l instanceof RNN) return [['cell', l.cell]];
  if (l instanceof Bidirectional) return [['backward_layer', l.backwardLayer], ['forward_layer', l.forwardLayer]];
  if (l instanceof TimeDistributed) return [['layer', l.layer]];
  return [];
}

function join(a: string, b: string): string {
  return a ? `${a}/${b}` : b;
}

/**
 * The structure keys of every variable of `model` (in walk order: each layer's own variables, then its children),
 * and every `vars` group with its saveable's name.
 */
export function structureOf(model: Layer<any, any>): { entries: StructureEntry[]; groups: StructureGroup[] } {
  const entries: StructureEntry[] = [];
  const groups: StructureGroup[] = [];
  const visited = new Set<Layer<any, any>>();
  const walk = (saveable: Layer<any, any>, path: string, sub = false): void => {
    if (visited.has(saveable)) return;
    visited.add(saveable);
    const vars = join(path, 'vars');
    groups.push({ path: vars, name: sub ? saveable.name.slice(saveable.name.lastIndexOf('/') + 1) : saveable.name });
    if (!isContainer(saveable)) {
      const children = attributeLayers(saveable);
      const held = new Set(children.flatMap(([, c]) => c.weights));
      saveable.weights.filter((v) => !held.has(v)).forEach((v, i) => entries.push({ key: `${vars}/${i}`, variable: v }));
      for (const [attr, child] of children) walk(child, join(path, attr), true);
      return;
    }
    const used = new Map<string, number>();
    for (const layer of saveable.saveableLayers()) {
      let name = toSnakeCase(layer.constructor.name);
      const n = used.get(name);
      used.set(name, n === undefined ? 0 : n + 1);
      if (n !== undefined) name = `${name}_${n + 1}`;
      walk(layer, join(join(path, 'layers'), name));
    }
  };
  walk(model, '');
  return { entries, groups };
}
