/**
 * The ResNet example's model (examples/resnet.ts), shared with its benchmark: seeded augmentation as
 * a nested Sequential, a Conv-BatchNorm-ReLU stem at 28x28, two strided residual blocks (14x14x32,
 * 7x7x64) with Add skips through 1x1 strided projections, GlobalAveragePooling2D and a Dense softmax,
 * for uint8 MNIST images [N, 28, 28]. (A residual block at 28x28 cost 40% of a step on 2 CPU cores
 * for no accuracy the 8-minute budget could use.)
 */
import * as dt from '../../src/index.ts';

/** Conv (no bias: BatchNormalization's beta replaces it) -> BatchNormalization. */
function convBn(x: dt.SymbolicTensor, filters: number, strides = 1): dt.SymbolicTensor {
  const h = new dt.layers.Conv2D(filters, 3, { strides, padding: 'same', useBias: false, kernelInitializer: 'he_normal' }).apply(x);
  return new dt.layers.BatchNormalization().apply(h);
}

/** A residual block: relu(x + bn(conv(relu(bn(conv(x)))))); with strides 2 the skip is a 1x1 strided projection. */
function residualBlock(x: dt.SymbolicTensor, filters: number, strides = 1): dt.SymbolicTensor {
  let h = new dt.layers.ReLU().apply(convBn(x, filters, strides));
  h = convBn(h, filters);
  let skip = x;
  if (strides !== 1 || x.shape[3] !== filters) {
    skip = new dt.layers.Conv2D(filters, 1, { strides, useBias: false, kernelInitializer: 'he_normal' }).apply(x);
    skip = new dt.layers.BatchNormalization().apply(skip);
  }
  return new dt.layers.ReLU().apply(new dt.layers.Add().apply([h, skip]));
}

/** The example's model (fresh layers, named from the global counters; seed first for reproducible weights). */
export function buildResnet(): dt.Model {
  // Seeded augmentation, as a block of the model (Keras's recommended placement): identity in
  // evaluate and predict; in training each batch draws its angles, shifts and zooms from the layers'
  // seed generators, whose state is part of every checkpoint.
  const augmentation = new dt.Sequential([
    new dt.layers.RandomRotation(0.03, { fillMode: 'constant' }),               // up to 10.8 degrees
    new dt.layers.RandomTranslation(0.06, 0.06, { fillMode: 'constant' }),      // up to 1.68 pixels
    new dt.layers.RandomZoom(0.06, null, { fillMode: 'constant' }),
  ], { name: 'augmentation' });

  const inputs = dt.Input({ shape: [28, 28], name: 'image' });        // uint8 images, cast to float32 by the model
  let x = new dt.layers.Reshape([28, 28, 1]).apply(inputs);
  x = new dt.layers.Rescaling(1 / 255).apply(x);
  x = augmentation.apply(x);
  x = new dt.layers.ReLU().apply(convBn(x, 16));                        // 28x28x16
  x = residualBlock(x, 32, 2);                                         // 14x14x32
  x = residualBlock(x, 64, 2);                                         // 7x7x64
  x = new dt.layers.GlobalAveragePooling2D().apply(x);
  const outputs = new dt.layers.Dense(10, { activation: 'softmax' }).apply(x);
  return new dt.Model({ inputs, outputs, name: 'resnet' });
}

