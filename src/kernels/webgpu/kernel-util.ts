/**
 * What the WebGPU kernels share: the tensor handle type, the kernel context and signature, the
 * uniform Params writer (WGSL layout rules), dispatch grids that respect
 * maxComputeWorkgroupsPerDimension, dimension merging for strided iteration, and the summation
 * tree driver (`sumTree`) that finishes every float reduction with reduce-sum passes.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { TensorInfo } from '../../core/backend.ts';
import type { DType } from '../../core/dtype.ts';
import { BackendError, UnsupportedOpError } from '../../core/errors.ts';
import type { OpAttrMap, OpName } from '../../core/ops/op-attrs.ts';
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import type { Binding, CommandStream } from './commands.ts';
import type { DeviceLimits } from './device.ts';

/** A tensor's storage on the GPU: one 4-byte word per element for every dtype (uint8 too). */
export interface GpuHandle {
  readonly id: number;
  readonly buffer: GPUBuffer;
  /** Elements. */
  readonly size: number;
  readonly dtype: DType;
  freed: boolean;
}

export type GpuInfo = TensorInfo<GpuHandle>;

/** What a kernel may use while recording its dispatches. */
export interface KernelContext {
  readonly stream: CommandStream;
  readonly limits: DeviceLimits;
  /** A scratch buffer of at least `words` 4-byte words, returned to the pool after the op. */
  temp(words: number): GPUBuffer;
  /**
   * Pipeline overrides for shaders whose products feed sums (matmul, resize-bilinear):
   * { EXACT_GUARD: 1 } when the self-test found FMA contraction, else undefined.
   */
  readonly exactGuard: Record<string, number> | undefined;
}

/** A WebGPU kernel records the dispatches that write `out` from the inputs. */
export type GpuKernel<O extends OpName> = (ctx: KernelContext, inputs: readonly GpuInfo[], attrs: OpAttrMap[O], out: GpuInfo) => void;

/**
 * Kernels by op name. Each host file exports the kernels it holds as one `KERNELS` object
 * (`satisfies GpuKernels`); kernels.ts spreads them into the table, whose type is total.
 */
export type GpuKernels = { readonly [O in OpName]?: GpuKernel<O> };

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** The float32 bit pattern of `v` (rounded to float32 first). */
export function f32Bits(v: number): number {
  f32buf[0] = v;
  return u32buf[0];
}

/**
 * Writes a WGSL uniform struct as 32-bit words: scalars are 4-byte aligned, vec4 and structs of
 * vec4 arrays 16-byte aligned; the result is padded to a multiple of 16 bytes.
 */
export class ParamWriter {
  /** The words written so far are words[0, n): a typed array (grown when full), so `finish` copies nothing. */
  private words = new Uint32Array(64);
  private n = 0;

  /** Appends one word (stored as ToUint32(v), the bits `v >>> 0` gives). */
  private push(v: number): void {
    if (this.n === this.words.length) {
      const grown = new Uint32Array(2 * this.n);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.n++] = v;
  }

  u32(...vs: number[]): this {
    for (let i = 0; i < vs.length; i++) this.push(vs[i] >>> 0);
    return this;
  }

  i32(v: number): this {
    this.push(v | 0);
    return this;
  }

  f32(v: number): this {
    this.push(f32Bits(v));
    return this;
  }

  /** Pads to a 16-byte boundary. */
  align16(): this {
    while (this.n % 4) this.push(0);
    return this;
  }

  /** A vec4<u32> (16-byte aligned) from up to 4 values (missing ones are 0). */
  vec4(vs: readonly number[]): this {
    this.align16();
    for (let i = 0; i < 4; i++) this.push((vs[i] ?? 0) >>> 0);
    return this;
  }

  /**
   * The WGSL `Strided` struct of lib/index.wgsl: shape and up to three stride sets (8 dims each),
   * the chunk's first global index and the window bases of operands 0..2 and of the output.
   */
  strided(s: Merged, origin = 0, bases: readonly number[] = []): this {
    this.align16();
    this.put8(s.shape);
    for (let k = 0; k < 3; k++) this.put8(s.strides[k] ?? []);
    this.push(origin >>> 0);
    this.push(0);
    this.push(0);
    this.push(0);
    for (let k = 0; k < 4; k++) this.push((bases[k] ?? 0) >>> 0);
    return this;
  }

  /** Eight words from `a` (missing ones 0); a method, not a closure made per call. */
  private put8(a: readonly number[]): void {
    for (let i = 0; i < 8; i++) this.push((a[i] ?? 0) >>> 0);
  }

  /** The words written, padded to 16 bytes: a view of this writer's own array (write nothing after finishing). */
  finish(): Uint32Array {
    this.align16();
    return this.words.subarray(0, this.n);
  }
}

/**
 * Workgroups for `n` one-element invocations in groups of `wg`, as an x * y * z grid within
 * maxComputeWorkgroupsPerDimension (shaders index it with lib/index.wgsl `invocation_index`).
 */
export function grid(n: number, wg: number, limits: DeviceLimits): [number, number, number] {
  const groups = Math.ceil(n / wg);
  if (groups === 0) return [0, 1, 1];
  const maxDim = limits.maxComputeWorkgroupsPerDimension;
  const x = Math.min(groups, maxDim);
  const rows = Math.ceil(groups / x);
  const y = Math.min(rows, maxDim);
  const z = Math.ceil(rows / y);
  if (z > maxDim) throw new UnsupportedOpError('dispatch', 'webgpu', `${n} elements exceed the device's dispatch grid`);
  return [x, y, z];
}

/** A tensor's storage bound whole (its logical size, not the pooled buffer's capacity). */
export function bind(h: GpuHandle): Binding {
  return { buffer: h.buffer, bytes: Math.max(1, h.size) * 4 };
}

/** A range of a buffer bound as a storage window: elements [base, base + words). */
export interface Window {
  base: number;
  words: number;
}

/** One chunk of an iteration: global indices [e0, e1) and each operand's window. */
export interface Chunk {
  e0: number;
  e1: number;
  windows: Window[];
}

/** An operand of a strided iteration: merged strides, constant element offset, tensor size. */
export interface Operand {
  strides: readonly number[];
  off: number;
  words: number;
}

/** Largest storage binding in 4-byte words, and the binding offset alignment in words. */
export function bindingLimits(limits: DeviceLimits): { maxWords: number; alignWords: number } {
  return { maxWords: Math.floor(limits.maxStorageBufferBindingSize / 4), alignWords: Math.max(1, Math.ceil(limits.minStorageBufferOffsetAlignment / 4)) };
}

/** The window binding of `w` in `buffer`. */
export function windowBinding(buffer: GPUBuffer, w: Window): Binding {
  return { buffer, offset: w.base * 4, bytes: Math.max(1, w.words) * 4 };
}

/**
 * Splits the row-major iteration over `shape` into chunks whose operand footprints each fit one
 * storage binding (large tensors: lavapipe allows 128 MB per binding). One chunk binding whole
 * tensors when everything fits. Otherwise operands that fit are bound whole in every chunk, and
 * each larger one gets a window per chunk, which needs its offsets to grow with the index (true
 * for slices, concatenation pieces, padding, contiguous data and the large side of a broadcast;
 * not for a transpose); the chunk ends are found by bisection.
 */
export function planChunks(op: string, shape: readonly number[], operands: readonly Operand[], limits: DeviceLimits): Chunk[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const { maxWords, alignWords } = bindingLimits(limits);
  if (operands.every((o) => o.words <= maxWords)) return [{ e0: 0, e1: n, windows: operands.map((o) => ({ base: 0, words: o.words })) }];
  const rank = shape.length;
  for (const o of operands) {
    if (o.words <= maxWords) continue; // bound whole in every chunk
    let span = 0;
    for (let d = rank - 1; d >= 0; d--) {
      if (shape[d] > 1 && o.strides[d] < span) {
        throw new BackendError(`webgpu: ${op}: a tensor exceeds the device's maxStorageBufferBindingSize (${limits.maxStorageBufferBindingSize} bytes) and this access pattern (shape [${shape.join(', ')}], strides [${o.strides.join(', ')}]) cannot be split into windows`);
      }
      span += (shape[d] - 1) * o.strides[d];
    }
  }
  const offAt = (o: Operand, i: number): number => {
    let off = o.off;
    for (let d = rank - 1; d >= 0; d--) {
      off += (i % shape[d]) * o.strides[d];
      i = Math.floor(i / shape[d]);
    }
    return off;
  };
  const window = (o: Operand, e0: number, e1: number): Window => {
    if (o.words <= maxWords) return { base: 0, words: o.words };
    const base = Math.floor(offAt(o, e0) / alignWords) * alignWords;
    return { base, words: offAt(o, e1 - 1) - base + 1 };
  };
  const fits = (e0: number, e1: number) => operands.every((o) => window(o, e0, e1).words <= maxWords);
  const chunks: Chunk[] = [];
  for (let e0 = 0; e0 < n; ) {
    if (!fits(e0, e0 + 1)) throw new BackendError(`webgpu: ${op}: cannot bind one element within maxStorageBufferBindingSize (kernel bug)`);
    let lo = e0 + 1;
    let hi = n;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (fits(e0, mid)) lo = mid;
      else hi = mid - 1;
    }
    chunks.push({ e0, e1: lo, windows: operands.map((o) => window(o, e0, lo)) });
    e0 = lo;
  }
  return chunks;
}

/**
 * Chunks of a contiguous elementwise iteration over n elements whose starts are multiples of the
 * binding alignment (so local index i is global e0 + i in every operand's window).
 */
export function contiguousChunks(n: number, limits: DeviceLimits): { e0: number; e1: number }[] {
  const { maxWords, alignWords } = bindingLimits(limits);
  const len = Math.max(alignWords, Math.floor(maxWords / alignWords) * alignWords);
  const out: { e0: number; e1: number }[] = [];
  for (let e0 = 0; e0 < n || (n === 0 && out.length === 0); e0 += len) out.push({ e0, e1: Math.min(n, e0 + len) });
  return out;
}

/** Elementwise workgroup size (the shaders' `override WG` default). */
export const WG = 256;

/**
 * Elements per invocation of the elementwise and movement shaders (their `E`: binary, where,
 * copy, fill, unary, unary-math, adam, relu-grad): lavapipe pays a large fixed cost per invocation.
 * The shaders' `E` is generated from it (wgsl-constants.ts).
 */
export const ELEMENTS_PER_INVOCATION = 16;


/** An iteration shape with per-operand strides after merging dimensions. */
export interface Merged {
  shape: number[];
  strides: number[][];
}

/** Maximum rank of a strided iteration after merging (lib/index.wgsl `Strided`). */
export const MAX_STRIDED_RANK = 8;

/**
 * Drops size-1 dimensions and merges neighbours that are contiguous for every operand, so a
 * contiguous operation becomes rank 1 (no index division in the shader).
 */
export function mergeDims(op: string, shape: readonly number[], strides: readonly (readonly number[])[]): Merged {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      dims[last] *= shape[d];
      strides.forEach((s, k) => (st[k][last] = s[d]));
    } else {
      dims.push(shape[d]);
      strides.forEach((s, k) => st[k].push(s[d]));
    }
  }
  if (dims.length > MAX_STRIDED_RANK) {
    throw new UnsupportedOpError(op, 'webgpu', `The iteration has rank ${dims.length} after merging dimensions; at most ${MAX_STRIDED_RANK} is supported.`);
  }
  return { shape: dims, strides: st };
}

/**
 * Strategy knobs (they never change results, only how the tree is split into passes; tests lower
 * them to exercise every path on small shapes). parallelOutputs: the number of outputs from which a
 * long reduction runs as one pass per output instead of k-group partials. convPartialWords: the
 * most words of level-1 partial sums conv2dGradFilter may write (beyond it, one pass per output).
 */
export const TUNING = { parallelOutputs: 2048, convPartialWords: 16 * 1024 * 1024 };

/**
 * The k-group length of a reduction of R terms for `outputs` outputs: R itself when one pass of
 * the two-level streaming form computes S (R <= 256, or R <= 65536 with many outputs), else a
 * tree level (256 terms, or 65536 when outputs alone fill the device).
 */
export function groupLength(R: number, outputs: number): number {
  if (R <= SUM_CHUNK) return Math.max(R, 1);
  if (outputs >= TUNING.parallelOutputs) return R <= SUM_CHUNK * SUM_CHUNK ? R : SUM_CHUNK * SUM_CHUNK;
  return SUM_CHUNK;
}

/**
 * Sums x viewed as [outer, R, inner] over R into `out` ([outer, inner]) in the engine's summation
 * order (src/core/reduction-order.ts), with reduce-sum passes: each pass replaces R by the number
 * of groups, until one group is left. `isInt`: wrapping int32 sum in one pass. The result goes
 * to `out` starting at element `outOff`.
 */
export function sumTree(ctx: KernelContext, x: GPUBuffer, outer: number, R: number, inner: number, out: GPUBuffer, isInt = false, outOff = 0): void {
  let src = x;
  let r = R;
  for (;;) {
    const G = isInt ? Math.max(r, 1) : groupLength(r, outer * inner);
    const mg = Math.max(1, Math.ceil(r / G));
    const n = outer * mg * inner;
    const dst = mg === 1 ? out : ctx.temp(n);
    const off = mg === 1 ? outOff : 0;
    const p = new ParamWriter().u32(n, outer, r, inner, G, mg, isInt ? 1 : 0, off).finish();
    ctx.stream.dispatch('reduce-sum', [{ buffer: src, bytes: Math.max(1, outer * r * inner) * 4 }, { buffer: dst, bytes: (off + n) * 4 }], p, grid(n, WG, ctx.limits), { cost: outer * inner * Math.max(r, 1) });
    if (mg === 1) return;
    src = dst;
    r = mg;
  }
}
