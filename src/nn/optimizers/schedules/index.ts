/**
 * Learning-rate schedules (`dt.optimizers.schedules`), Keras 3's: ExponentialDecay,
 * PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts,
 * each a pure float32 function of the optimizer step.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { CosineDecay, type CosineDecayOptions } from './cosine-decay.ts';
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine-decay-restarts.ts';
export { ExponentialDecay, type ExponentialDecayOptions } from './exponential-decay.ts';
export { InverseTimeDecay, type InverseTimeDecayOptions } from './inverse-time-decay.ts';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.ts';
export { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.ts';
export { LearningRateSchedule, type LearningRate } from './schedule.ts';
