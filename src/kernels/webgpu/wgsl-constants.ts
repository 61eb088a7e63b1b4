/**
 * The numbers that WGSL shares with TypeScript, gathered from where they are written once: the op and dtype
 * codes that select a shader's branch (pipeline-overridable OP / DTYPE / MODE), each defined in the host file
 * of its shader (UNARY_OP and MATH_OP in unary.ts, BINARY_OP in binary.ts, ...), the elements per invocation
 * (kernel-util.ts) and the summation chunk of the fixed reduction order (core). scripts/embed-shaders.ts turns
 * each group into WGSL `const` declarations for the shaders that name it in their first-line directive
 * (`// requires: const/unary-ops`), so a shader writes `case UNARY_NEG_F:` and can never drift from the host's
 * code; the generated module's freshness test fails when a code changes without regenerating. Only the embed
 * script and tests import this file (the host files do not, so no cycle).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { ADAM_MODE } from './adam.ts';
import { BN_MODE } from './batch-norm.ts';
import { BINARY_OP, DTYPE_CODE } from './binary.ts';
import { DEPTHWISE_MODE } from './depthwise-conv2d.ts';
import { FILL_MODE } from './image-transform.ts';
import { ELEMENTS_PER_INVOCATION } from './kernel-util.ts';
import { POOL_MODE } from './pool.ts';
import { RANDOM_ALGO } from './random-uniform.ts';
import { SCAN_OP } from './reduce.ts';
import { MATH_OP, UNARY_OP } from './unary.ts';

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
  'const/image-transform': prefixed('FILL', FILL_MODE),
  'const/depthwise-modes': prefixed('DEPTHWISE', DEPTHWISE_MODE),
  'const/batch-norm-modes': prefixed('BN', BN_MODE),
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
