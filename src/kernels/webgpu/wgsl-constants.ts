/**
 * The numbers that WGSL shares with TypeScript, written once, here: the op and dtype codes that select a
 * shader's branch (pipeline-overridable OP / DTYPE / MODE), the elements per invocation, and the summation
 * chunk of the fixed reduction order. scripts/embed-shaders.ts turns each group into WGSL `const`
 * declarations for the shaders that name it in their first-line directive (`// requires: const/unary-ops`),
 * so a shader writes `case UNARY_NEG_F:` and can never drift from the host's code; the generated module's
 * freshness test fails when this file changes without regenerating.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { SUM_CHUNK } from '../../core/reduction-order.ts';

/** Op codes of shaders/unary.wgsl (override OP). */
export const UNARY_OP = {
  copy: 0, negF: 1, negI: 2, absF: 3, absI: 4, signF: 5, signI: 6, sqrtF: 7, squareF: 8, squareI: 9,
  reluF: 10, reluI: 11, clipF: 12, clipI: 13, i32ToF32: 14, u8ToF32: 15, f32ToI32: 16, f32ToU8: 17, i32ToU8: 18,
} as const;

/** Op codes of shaders/unary-math.wgsl (override OP): the engine's own float32 functions. */
export const MATH_OP = { exp: 0, log: 1, sigmoid: 2, tanh: 3 } as const;

/** Op codes of shaders/binary.wgsl (override OP). */
export const BINARY_OP = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5,
  equal: 6, notEqual: 7, less: 8, lessEqual: 9, greater: 10, greaterEqual: 11,
} as const;

/** Element dtype codes (override DTYPE of binary.wgsl, params.dtype of reduce-scan.wgsl). */
export const DTYPE_CODE = { float32: 0, int32: 1, uint8: 2 } as const;

/** Modes of shaders/pool2d*.wgsl (override MODE, params.mode). */
export const POOL_MODE = { max: 0, avg: 1 } as const;

/** Op codes of shaders/reduce-scan.wgsl (params.op). */
export const SCAN_OP = { max: 0, min: 1, argmax: 2, argmin: 3 } as const;

/** Generator codes of shaders/random-uniform.wgsl (params.algo). */
export const RANDOM_ALGO = { philox: 0, threefry: 1 } as const;

/** Modes of shaders/adam.wgsl (override MODE): the three fused Adam ops. */
export const ADAM_MODE = { moment: 0, velocity: 1, step: 2 } as const;

/** Consecutive elements each invocation of an elementwise shader handles. */
export const ELEMENTS_PER_INVOCATION = 16;

/** `negF` -> `NEG_F`, `i32ToF32` -> `I32_TO_F32`. */
function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function prefixed(prefix: string, codes: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(codes).map(([k, v]) => [`${prefix}_${upperSnake(k)}`, v]));
}

/**
 * The constant groups a shader may require, by directive name: WGSL name -> value, each declared as
 * `const NAME: u32 = <value>u;`.
 */
export const WGSL_CONSTANT_GROUPS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'const/elementwise': { E: ELEMENTS_PER_INVOCATION },
  'const/sum-chunk': { SUM_CHUNK },
  'const/unary-ops': prefixed('UNARY', UNARY_OP),
  'const/math-ops': prefixed('MATH', MATH_OP),
  'const/binary-ops': prefixed('BINARY', BINARY_OP),
  'const/dtypes': prefixed('DTYPE', DTYPE_CODE),
  'const/pool-modes': prefixed('POOL', POOL_MODE),
  'const/adam-modes': prefixed('ADAM', ADAM_MODE),
  'const/scan-ops': prefixed('SCAN', SCAN_OP),
  'const/random-algos': prefixed('ALGO', RANDOM_ALGO),
};

/** The WGSL text of one constant group. */
export function wgslConstants(group: string): string {
  const g = WGSL_CONSTANT_GROUPS[group];
  if (!g) throw new Error(`wgslConstants: unknown group '${group}'. Expected one of: ${Object.keys(WGSL_CONSTANT_GROUPS).join(', ')}`);
  const lines = Object.entries(g).map(([name, v]) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`wgslConstants: ${group}.${name} = ${v} is not a u32`);
    return `const ${name}: u32 = ${v}u;`;
  });
  return `// ${group}: generated from src/kernels/webgpu/wgsl-constants.ts\n${lines.join('\n')}\n`;
}
