/**
 * The reference CNN of examples/reproducibility.ts, built identically on every engine (ditto and
 * tfjs here; PyTorch in bench/torch_step.py, the same layers in torch.nn):
 * Conv2D(32, 3x3, relu) -> MaxPool 2x2 -> Dropout 0.2 -> Conv2D(32, 3x3, relu) -> MaxPool 2x2 ->
 * Dropout 0.2 -> Conv2D(32, 3x3, relu) -> GlobalAveragePooling2D -> Dense(64, relu) -> Dropout 0.2
 * -> Dense(10, softmax); 'valid' padding, Glorot-uniform kernels and zero biases (both engines'
 * defaults), Adam(learning rate 1e-3, beta 0.9/0.999, epsilon 1e-7), sparse categorical
 * crossentropy, accuracy metric. 32x32x1 inputs, 21,578 parameters.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { tf } from './tfjs.ts';
import { dt } from './ditto.ts';

export { PARAMS } from './configs.ts';

export function dittoModel(): dt.Sequential {
  const model = new dt.Sequential([
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new dt.layers.MaxPooling2D([2, 2]),
    new dt.layers.Dropout(0.2),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new dt.layers.MaxPooling2D([2, 2]),
    new dt.layers.Dropout(0.2),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new dt.layers.GlobalAveragePooling2D(),
    new dt.layers.Dense(64, { activation: 'relu' }),
    new dt.layers.Dropout(0.2),
    new dt.layers.Dense(10, { activation: 'softmax' }),
  ]);
  // 'adam' = Adam with Keras defaults (learning rate 1e-3, epsilon 1e-7), as in the example.
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

export function tfjsModel(tfLayers: typeof tfl, tfCore: typeof tf): tfl.Sequential {
  const L = tfLayers.layers;
  const model = tfLayers.sequential({
    layers: [
      L.conv2d({ inputShape: [32, 32, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.dropout({ rate: 0.2 }),
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.dropout({ rate: 0.2 }),
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      L.globalAveragePooling2d({}),
      L.dense({ units: 64, activation: 'relu' }),
      L.dropout({ rate: 0.2 }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tfCore.train.adam(1e-3, 0.9, 0.999, 1e-7), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
