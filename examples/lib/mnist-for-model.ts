/**
 * MNIST shaped for a model loaded from a Keras file (examples/from-keras.ts, scripts/keras-files-accuracy.ts).
 * Assumed preprocessing, that of every model in ../shared/keras-files (their README): pixels / 255 as float32,
 * nothing else. The image layout is read from the model's declared input shape: any shape of 784 elements (flat
 * [784], [28, 28], [28, 28, 1]) gets the 28x28 pixels in row-major order; anything else is refused. Labels are the
 * digit (int32) for a sparse loss, one-hot float32 rows for `categorical_crossentropy` (the loss the file compiled
 * the model with).
 */
import * as dt from '../../src/index.ts';

/** The model's input shape without the batch dimension (a Sequential's first layer, a functional model's input). */
export function modelInputShape(model: dt.ModelBase): number[] {
  const shape = model instanceof dt.Sequential ? model.layers[0]?.declaredInputShape : model instanceof dt.Model ? model.inputs[0]?.shape.slice(1) : undefined;
  if (!shape || shape.some((d) => d === null)) throw new Error(`expected a model with a known input shape. Received: ${JSON.stringify(shape)}`);
  return shape as number[];
}

/**
 * Images (uint8 [n, 28, 28]) as the model's float32 inputs: / 255, reshaped to the model's input shape.
 * @throws when the model's input does not hold 784 values.
 */
export function imagesFor(model: dt.ModelBase, images: dt.Tensor): dt.Tensor {
  const shape = modelInputShape(model);
  if (shape.reduce((a, b) => a * b, 1) !== 784) throw new Error(`expected a model whose input holds one 28x28 MNIST image (784 values). Received: input shape ${JSON.stringify(shape)}`);
  return dt.tidy(() => dt.reshape(dt.div(dt.cast(images, 'float32'), 255), [images.shape[0], ...shape]));
}

/** Labels (int32 digits) as the model's loss expects them: one-hot for categorical_crossentropy, else as they are. */
export function labelsFor(model: dt.ModelBase, labels: dt.Tensor): dt.Tensor {
  const loss = model.compileArgs?.loss;
  return loss === 'categorical_crossentropy' ? dt.oneHot(labels, 10) : dt.clone(labels);
}

/** Accuracy of predicted probabilities [n, 10] against int32 labels [n] (argmax, the first maximum on ties). */
export async function accuracyOf(probs: dt.Tensor, labels: dt.Tensor): Promise<number> {
  const p = await probs.data();
  const y = await labels.data();
  let ok = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (p[i * 10 + j] > p[i * 10 + best]) best = j;
    if (best === y[i]) ok++;
  }
  return ok / y.length;
}
