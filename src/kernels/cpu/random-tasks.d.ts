/**
 * Types of random-tasks.js: the Philox uniform stream over a range of 4-word blocks.
 * Part of src/kernels/cpu: imports nothing.
 */
export function philoxUniformRange(out: Float32Array, n: number, key0: number, key1: number, ctr0: number, ctr1: number, ctr2: number, ctr3: number, g0: number, g1: number): void;
export function runPhiloxBlock(job: object, i: number): void;
export function linkedPhiloxModule(): Function;
