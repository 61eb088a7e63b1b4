/**
 * A float64 forward pass (inference) of a Keras Sequential model straight from its Keras config and the weight
 * datasets of its file, independent of src/: the layer list of a Keras 3 `config.json` or a legacy `model_config`,
 * weights found by the file's own keys (Keras 3: `layers/<snake_case class>[_n]/vars/<i>`, a counter per class;
 * legacy `.h5`: `model_weights/<layer name>/<weight_names[i]>`), and the math of Keras's layers written with the
 * float64 references of this folder. Covers the layer classes of the MNIST models in ../shared/keras-files:
 * InputLayer, Flatten, Reshape, Dense, Conv2D, Activation, MaxPooling2D, BatchNormalization (inference), Dropout
 * (identity at inference), SimpleRNN / LSTM / GRU (rnn64.ts: default activations, no masks; the weights of a
 * Keras 3 file are its cell's, `layers/lstm/cell/vars/<i>`); activations linear, relu, softmax.
 */
import { conv2d } from './conv64.ts';
import { maxPool2d, softmax } from './nn64.ts';
import { batchNormInfer64 } from './norm64.ts';
import { type A64, add, arr, map, reshape } from './ops64.ts';
import { type Cell64, rnn64 } from './rnn64.ts';

/** A Keras layer entry of a config: `{ class_name, config }`. */
export interface KerasLayerEntry {
  class_name: string;
  config: Record<string, any>;
}

/** The weights of a layer in Keras's variable order (Dense: kernel, bias; BatchNormalization: gamma, beta, mean, variance). */
export type WeightsOf = (layer: KerasLayerEntry, index: number) => A64[];

/** Keras's `to_snake_case` of a class name (Conv2D -> conv2d, BatchNormalization -> batch_normalization). */
export function kerasSnakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Keras 3 structure keys of a Sequential's layers (InputLayer left out): the snake_case class name, `_1`, `_2`,
 * ... for later layers of the same class.
 */
export function sequentialKeys(layers: readonly KerasLayerEntry[]): string[] {
  const seen = new Map<string, number>();
  return layers.filter((l) => l.class_name !== 'InputLayer').map((l) => {
    const base = kerasSnakeCase(l.class_name);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

function activation(x: A64, name: unknown): A64 {
  switch (name ?? 'linear') {
    case 'linear': return x;
    case 'relu': return map(x, (v) => (v > 0 ? v : 0));
    case 'softmax': return softmax(x, -1);
    default: throw new Error(`keras-sequential64: activation ${String(name)} not covered`);
  }
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number]);

/** Runs the model's layers on x ([batch, ...input shape]) in float64. */
export function kerasSequential64(layers: readonly KerasLayerEntry[], weightsOf: WeightsOf, x: A64): A64 {
  let h = x;
  let i = 0;
  for (const layer of layers) {
    const c = layer.config;
    if (layer.class_name === 'InputLayer') continue;
    const w = weightsOf(layer, i++);
    switch (layer.class_name) {
      case 'Flatten': h = reshape(h, [h.shape[0], h.data.length / h.shape[0]]); break;
      case 'Reshape': h = reshape(h, [h.shape[0], ...c.target_shape]); break;
      case 'Dropout': break;
      case 'Activation': h = activation(h, c.activation); break;
      case 'Dense': {
        const [k, b] = w;
        const [n, units] = [h.shape[0], c.units as number];
        const inp = k.shape[0];
        const out = arr([n, units]);
        for (let r = 0; r < n; r++) {
          for (let j = 0; j < units; j++) {
            let s = 0;
            for (let q = 0; q < inp; q++) s += h.data[r * inp + q] * k.data[q * units + j];
            out.data[r * units + j] = s + (c.use_bias === false ? 0 : b.data[j]);
          }
        }
        h = activation(out, c.activation);
        break;
      }
      case 'Conv2D': {
        if (pair(c.dilation_rate ?? 1).some((d) => d !== 1) || (c.groups ?? 1) !== 1) throw new Error('keras-sequential64: dilated or grouped Conv2D not covered');
        const y = conv2d(h, w[0], { strides: pair(c.strides ?? 1), padding: c.padding });
        h = activation(c.use_bias === false ? y : add(y, w[1]), c.activation);
        break;
      }
      case 'MaxPooling2D': h = maxPool2d(h, { poolSize: pair(c.pool_size), strides: pair(c.strides ?? c.pool_size), padding: c.padding }); break;
      case 'BatchNormalization': {
        const axis = Array.isArray(c.axis) ? c.axis[0] : c.axis;
        let k = 0;
        const gamma = c.scale === false ? null : w[k++];
        const beta = c.center === false ? null : w[k++];
        h = batchNormInfer64(h, gamma, beta, w[k], w[k + 1], axis, c.epsilon);
        break;
      }
      case 'SimpleRNN': case 'LSTM': case 'GRU': {
        if ((c.activation ?? 'tanh') !== 'tanh' || (c.recurrent_activation ?? 'sigmoid') !== 'sigmoid' || c.go_backwards || c.return_state) {
          throw new Error(`keras-sequential64: ${layer.class_name} with these options not covered`);
        }
        const kind: Cell64 = layer.class_name === 'SimpleRNN' ? 'simple' : layer.class_name === 'LSTM' ? 'lstm' : c.reset_after === false ? 'gru_before' : 'gru';
        const { seq, states } = rnn64(kind, h, w[0], w[1], c.use_bias === false ? null : w[2]);
        h = c.return_sequences ? seq : states[0];
        break;
      }
      default: throw new Error(`keras-sequential64: layer class ${layer.class_name} not covered`);
    }
  }
  return h;
}
