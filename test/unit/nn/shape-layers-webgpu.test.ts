/**
 * CPU vs WebGPU bit equality of the layers of issue 16 (shape, preprocessing, Normalization with a given mean and
 * variance, and the noise layers in training with fresh seeded layers), forward and, where differentiable, the
 * gradient of sum(layer(x)^2), through the shared agreement harness (skipped without an adapter, failing under
 * REQUIRE_WEBGPU=1).
 */
import * as dt from '../../../src/index.ts';
import { type AgreementCase, describeAgreement, input, uni } from '../../agreement/harness.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const L = dt.layers;

const layerCases: [string, () => dt.layers.Layer, number[], boolean][] = [
  ['UpSampling2D nearest', () => new L.UpSampling2D([2, 3]), [2, 5, 4, 3], false],
  ['UpSampling2D bilinear', () => new L.UpSampling2D(3, { interpolation: 'bilinear' }), [2, 5, 4, 3], false],
  ['ZeroPadding2D', () => new L.ZeroPadding2D([[1, 2], [0, 3]]), [2, 5, 4, 3], false],
  ['Cropping2D', () => new L.Cropping2D([[1, 2], [0, 1]]), [2, 5, 4, 3], false],
  ['GlobalMaxPooling2D', () => new L.GlobalMaxPooling2D({ keepdims: true }), [2, 5, 4, 3], false],
  ['Reshape', () => new L.Reshape([-1, 6]), [2, 5, 4, 3], false],
  ['Permute', () => new L.Permute([3, 1, 2]), [2, 5, 4, 3], false],
  ['RepeatVector', () => new L.RepeatVector(4), [3, 7], false],
  ['Rescaling', () => new L.Rescaling(1 / 255, { offset: -0.5 }), [2, 5, 4, 3], false],
  ['Resizing bilinear', () => new L.Resizing(7, 3), [2, 5, 4, 3], false],
  ['Resizing nearest crop', () => new L.Resizing(3, 7, { interpolation: 'nearest', cropToAspectRatio: true }), [2, 5, 4, 3], false],
  ['CenterCrop slice', () => new L.CenterCrop(3, 2), [2, 5, 4, 3], false],
  ['CenterCrop resize', () => new L.CenterCrop(6, 6), [2, 5, 4, 3], false],
  ['Normalization', () => new L.Normalization({ mean: [0.1, -0.2, 0.3], variance: [0.5, 2, 3] }), [2, 5, 4, 3], false],
  ['GaussianNoise', () => new L.GaussianNoise(0.4, { seed: 3 }), [2, 5, 4, 3], true],
  ['GaussianDropout', () => new L.GaussianDropout(0.3, { seed: 3 }), [2, 5, 4, 3], true],
  ['SpatialDropout2D', () => new L.SpatialDropout2D(0.5, { seed: 3 }), [2, 5, 4, 3], true],
];

const cases: AgreementCase[] = [];
for (const [name, make, shape, training] of layerCases) {
  cases.push({ name: `${name} forward`, inputs: [input(shape, uni(-3, 3))], run: ([x]) => make().apply(x, { training }) });
  cases.push({
    name: `${name} gradient`,
    inputs: [input(shape, uni(-3, 3))],
    run: ([x]) => {
      const layer = make();
      return dt.tidy(() => dt.grad((t) => dt.sum(dt.square(layer.apply(t, { training }))))(x)[0]);
    },
  });
}

describeAgreement('issue 16 layers: CPU vs WebGPU bits', unavailable, cases);
