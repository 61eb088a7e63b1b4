/**
 * Built-in datasets (`dt.datasets`), Keras-style: `dt.datasets.mnist.loadData()`.
 * Part of src/data: imports src/core only.
 */
export * as mnist from './mnist.ts';
