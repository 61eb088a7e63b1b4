/**
 * The primitive ops of the engine and their attributes. Every backend implements exactly these
 * (both backends' kernel tables are checked against OpName at compile time); everything else
 * (softmax, mean, losses, Adam...) is composed from them. A new primitive declares its attributes
 * next to its definition, by augmenting OpAttrMap from its op file:
 *   declare module './op-attrs.ts' { interface OpAttrMap { elu: { alpha: number } } }
 * (see ops/unary.ts), so that adding one needs no edit here. The runtime list of names is
 * OP_NAMES in op-def.ts, filled by defineOp.
 * Part of src/core: types only.
 */
import type { DType } from '../dtype.ts';

/**
 * Window padding, TensorFlow's rules: 'valid' (none) or 'same' (output size ceil(in / stride)).
 * @inline
 */
export type Padding = 'valid' | 'same';

/**
 * The attributes of an op that has none.
 * @inline
 */
export interface NoAttrs {}

/**
 * 2-D window geometry shared by conv and pool ops (NHWC).
 * @inline
 */
export interface Window2dAttrs {
  /** [strideH, strideW] */
  strides: [number, number];
  /** 'valid' or 'same'. */
  padding: Padding;
}

/**
 * Convolution window: strides, padding and the kernel's dilation (absent when [1, 1], so that undilated
 * convolutions keep exactly their attributes).
 * @inline
 */
export interface ConvAttrs extends Window2dAttrs {
  /** [dilationH, dilationW]; absent means [1, 1]. */
  dilations?: [number, number];
}

/**
 * Pooling window: size, strides and padding.
 * @inline
 */
export interface PoolAttrs extends Window2dAttrs {
  /** [poolH, poolW] */
  poolSize: [number, number];
}

/**
 * Attributes of the reductions sum, max and min.
 * @inline
 */
export interface ReduceAttrs {
  /** Sorted, normalized axes to reduce. */
  axes: number[];
  /** Whether reduced axes stay, with size 1. */
  keepDims: boolean;
}

/**
 * The counter-based generator: 'philox' (Philox4x32-10, TensorFlow's) or 'threefry' (Threefry2x32, JAX's).
 * @inline
 */
export type RandomAlgorithm = 'philox' | 'threefry';

/**
 * The primitive ops and their attributes: the contract between the op definitions and the backends. Each key is an
 * op name ({@link OpName}); its value is the attribute object a backend's `run` receives for it, already checked and
 * normalized (axes non-negative and sorted, window pairs expanded). Shapes are row-major, images NHWC.
 */
export interface OpAttrMap {
  // creation and data movement
  /** A new tensor filled with one value (no inputs). */
  fill: {
    /** Output shape. */
    shape: number[];
    /** Output dtype. */
    dtype: DType;
    /** The value of every element. */
    value: number;
  };
  /** Conversion of the input to another dtype (a copy when it is the same). */
  cast: {
    /** Output dtype. */
    dtype: DType;
  };
  /** NumPy broadcast of the input to a larger shape. */
  broadcastTo: {
    /** Output shape. */
    shape: number[];
  };
  /** Axis permutation of the input. */
  transpose: {
    /** Output axis i is input axis perm[i]. */
    perm: number[];
  };
  /** A rectangular block of the input. */
  slice: {
    /** Start index on every axis. */
    begin: number[];
    /** Extent on every axis. */
    size: number[];
  };
  /** Constant padding around the input. */
  pad: {
    /** [before, after] for every axis. */
    paddings: [number, number][];
    /** The padding value. */
    value: number;
  };
  /** Concatenation of the inputs along one axis. */
  concat: {
    /** The axis (non-negative). */
    axis: number;
  };
  /** Rows of the first input picked by the int32 indices of the second, along one axis. */
  gather: {
    /** The axis (non-negative). */
    axis: number;
  };
  /** gather's gradient: sums dy into the gathered positions (inputs dy, indices), without atomics. */
  gatherGrad: {
    /** The gather axis. */
    axis: number;
    /** Size of that axis in gather's input. */
    dimSize: number;
  };
  /** One-hot encoding of int32 indices along a new last axis. */
  oneHot: {
    /** Number of classes (the new axis's size). */
    depth: number;
    /** Value at the index. */
    onValue: number;
    /** Value everywhere else. */
    offValue: number;
    /** Output dtype. */
    dtype: DType;
  };
  // elementwise unary
  /** -x. */
  neg: NoAttrs;
  /** |x|. */
  abs: NoAttrs;
  /** -1, 0 or 1. */
  sign: NoAttrs;
  /** e^x, ditto's own float32 function. */
  exp: NoAttrs;
  /** Natural log, ditto's own float32 function. */
  log: NoAttrs;
  /** Correctly rounded square root. */
  sqrt: NoAttrs;
  /** x * x. */
  square: NoAttrs;
  /** max(x, 0). */
  relu: NoAttrs;
  /** 1 / (1 + e^-x). */
  sigmoid: NoAttrs;
  /** Hyperbolic tangent. */
  tanh: NoAttrs;
  /** Clamp into [min, max]. */
  clipByValue: {
    /** Lower bound. */
    min: number;
    /** Upper bound. */
    max: number;
  };
  /** relu's gradient (dy, x): x > 0 ? dy : +0 */
  reluGrad: NoAttrs;
  // fused Adam updates (src/core/ops/adam.ts); scalars are float32 values
  /** Adam's first-moment update m + (g - m) * c (inputs m, g), c = 1 - beta1. */
  adamMoment: {
    /** 1 - beta1, a float32 value. */
    c: number;
  };
  /** Adam's second-moment update u + (g * g - u) * c (inputs u, g), c = 1 - beta2. */
  adamVelocity: {
    /** 1 - beta2, a float32 value. */
    c: number;
  };
  /** Adam's weight update v - m * alpha / (sqrt(u) + eps) (inputs v, m, u). */
  adamStep: {
    /** The bias-corrected learning rate, a float32 value. */
    alpha: number;
    /** Epsilon, a float32 value. */
    eps: number;
  };
  // elementwise binary (NumPy broadcasting)
  /** a + b. */
  add: NoAttrs;
  /** a - b. */
  sub: NoAttrs;
  /** a * b. */
  mul: NoAttrs;
  /** a / b (floor division for integers). */
  div: NoAttrs;
  /** Elementwise maximum. */
  maximum: NoAttrs;
  /** Elementwise minimum. */
  minimum: NoAttrs;
  /** a == b, uint8 0/1. */
  equal: NoAttrs;
  /** a != b, uint8 0/1. */
  notEqual: NoAttrs;
  /** a < b, uint8 0/1. */
  less: NoAttrs;
  /** a <= b, uint8 0/1. */
  lessEqual: NoAttrs;
  /** a > b, uint8 0/1. */
  greater: NoAttrs;
  /** a >= b, uint8 0/1. */
  greaterEqual: NoAttrs;
  /** cond ? a : b (inputs cond, a, b). */
  where: NoAttrs;
  // reductions
  /** Sum in the fixed reduction order. */
  sum: ReduceAttrs;
  /** Maximum. */
  max: ReduceAttrs;
  /** Minimum. */
  min: ReduceAttrs;
  /** Index of the first maximum, int32. */
  argmax: {
    /** The axis (non-negative). */
    axis: number;
  };
  /** Index of the first minimum, int32. */
  argmin: {
    /** The axis (non-negative). */
    axis: number;
  };
  // linear algebra and images
  /** Batched matrix product. */
  matmul: {
    /** Transpose the last two dims of a. */
    transposeA: boolean;
    /** Transpose the last two dims of b. */
    transposeB: boolean;
  };
  /** 2-D convolution, x [N, H, W, C] and w [kH, kW, C, F]. */
  conv2d: ConvAttrs;
  /** conv2d's gradient with respect to x (inputs dy, w). */
  conv2dGradInput: ConvAttrs & {
    /** x's shape [N, H, W, C]. */
    inputShape: number[];
  };
  /** conv2d's gradient with respect to w (inputs x, dy). */
  conv2dGradFilter: ConvAttrs & {
    /** w's shape [kH, kW, C, F]. */
    filterShape: number[];
  };
  /** 2-D max pooling. */
  maxPool2d: PoolAttrs;
  /** maxPool2d's gradient (inputs dy, x): to each window's first maximum. */
  maxPool2dGrad: PoolAttrs & {
    /**
     * true: dx masked by relu's gradient, x > 0 ? dx : +0 (the bits of reluGrad(maxPool2dGrad(dy, x), x)),
     * in the same pass; absent: no mask. Set by maxPool2d's gradient only (src/core/ops/relu-mask.ts).
     */
    reluMask?: boolean;
  };
  /** 2-D average pooling over valid elements. */
  avgPool2d: PoolAttrs;
  /** avgPool2d's gradient (input dy). */
  avgPool2dGrad: PoolAttrs & {
    /** x's shape [N, H, W, C]. */
    inputShape: number[];
  };
  /** Bilinear resize, TensorFlow 2 semantics (half-pixel centers). */
  resizeBilinear: {
    /** [outH, outW]. */
    size: [number, number];
  };
  // randomness (unit uniforms of a Philox / Threefry stream; see ops/random-uniform.ts)
  /** Float32 uniforms in [0, 1) from a counter-based stream (no inputs). */
  randomUniform: {
    /** Output shape. */
    shape: number[];
    /** 'philox' or 'threefry'. */
    algorithm: RandomAlgorithm;
    /** The generator key, two uint32 words. */
    key: [number, number];
    /** The starting counter, four uint32 words. */
    counter: [number, number, number, number];
  };
}

/** The name of a primitive op: a key of {@link OpAttrMap}. */
export type OpName = keyof OpAttrMap;
