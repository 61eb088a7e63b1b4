/**
 * The WebGPU backend: GPU-resident tensors (one 4-byte word per element; uint8 widened on upload
 * and narrowed on readback), a size-classed buffer pool, cached pipelines, and one command
 * stream that batches many dispatches per submission. The only waits are `read` and `sync`.
 * Every kernel reproduces the CPU backend's bits (same reduction orders and rounding steps); the
 * startup self-test checks the adapter's division, sqrt and non-contraction of a*b+c, warning
 * loudly (or refusing, with DITTO_STRICT_WEBGPU=1) when exactness cannot be claimed, and
 * switches on EXACT_GUARD pipelines when the driver contracts a*b+c into an FMA.
 *
 * Non-finite values. Agreement with the CPU is the contract for finite inputs. Beyond that:
 * shaders never use NaN as a signal (WGSL may assume finite math): NaN is tested from the bits
 * wherever the CPU treats it specially (max/min/argmax, pooling, relu, sign, clip, comparisons,
 * cast, sqrt), and those agree bit for bit on NaN and +-Inf inputs on lavapipe. Plain + - * /
 * with NaN or Inf operands rely on the device's IEEE behaviour (lavapipe: identical to the CPU,
 * including NaN bits); a driver that exploits the finite-math rule may differ there. NaN bit
 * patterns are not part of the contract: the one known difference is log of a negative number
 * (lib/math.wgsl returns the input's bits | 0x7fc00000, the CPU the canonical NaN).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { Backend, TensorInfo } from '../../core/backend.ts';
import type { DType, TypedArray } from '../../core/dtype.ts';
import { ArgumentError, BackendError, UnsupportedOpError } from '../../core/errors.ts';
import type { OpAttrMap, OpName } from '../../core/ops/op-attrs.ts';
import { BufferPool, type PoolStats } from './buffer-pool.ts';
import { CommandStream, type ProfileReport, type RecordedDispatch, type StreamStats } from './commands.ts';
import { GpuDevice } from './device.ts';
import type { GpuHandle, GpuKernel, KernelContext } from './kernel-util.ts';
import { WEBGPU_KERNELS } from './kernels.ts';
import { fillWords } from './movement.ts';
import { PipelineCache, type PipelineStats } from './pipelines.ts';
import { runSelfTest, type SelfTestResult } from './self-test.ts';

/** Options of `WebGpuBackend.create`. */
export interface WebGpuOptions {
  /** Run the arithmetic self-test at startup (default true). */
  selfTest?: boolean;
  /** Throw instead of warning when the self-test fails (default: DITTO_STRICT_WEBGPU=1). */
  strict?: boolean;
  /** Where warnings go (default console.warn). */
  warn?: (message: string) => void;
  /** Tests only: alters the self-test's expected results, to exercise the failure path. */
  selfTestTamper?: (expected: Float32Array) => void;
  /**
   * Run the kernels whose products feed sums with EXACT_GUARD even if the self-test found no FMA
   * contraction (tests use it to check that the guarded pipelines give the same bits).
   */
  exactGuard?: boolean;
  /**
   * Report a software-only adapter (lavapipe, SwiftShader) as unavailable: automatic backend
   * selection prefers the CPU backend there, which is faster on the same cores.
   */
  refuseSoftware?: boolean;
}

/** Counters for tests and benchmarks. */
export interface WebGpuStats {
  pool: PoolStats;
  stream: StreamStats;
  pipelines: PipelineStats;
  liveBuffers: number;
}

/** The WebGPU backend (see the file header); create it with `WebGpuBackend.create()`. */
export class WebGpuBackend implements Backend<GpuHandle> {
  readonly name = 'webgpu' as const;
  readonly description: string;
  /** The startup self-test's outcome (undefined when skipped). */
  readonly selfTest: SelfTestResult | undefined;
  /** False when the self-test failed: results may then differ from the CPU's bits. */
  readonly exact: boolean;
  private readonly pool: BufferPool;
  private readonly pipelines: PipelineCache;
  private readonly stream: CommandStream;
  private readonly live = new Set<number>();
  private nextId = 1;
  private temps: GPUBuffer[] = [];
  private readonly ctx: KernelContext;

  /** Whether products feeding sums are guarded against FMA contraction (EXACT_GUARD pipelines). */
  readonly exactGuard: boolean;

  private constructor(readonly gpu: GpuDevice, pool: BufferPool, pipelines: PipelineCache, stream: CommandStream, selfTest: SelfTestResult | undefined, forceGuard: boolean) {
    this.pool = pool;
    this.pipelines = pipelines;
    this.stream = stream;
    this.selfTest = selfTest;
    this.exact = selfTest ? selfTest.ok : true;
    this.exactGuard = forceGuard || !!selfTest?.guard;
    const notes = [this.exactGuard ? 'FMA contraction guarded' : '', this.exact ? '' : selfTest?.flushesSubnormals ? 'flushes subnormals: bit-exact with the CPU except for values below 2^-126 inside reductions' : 'NOT bit-exact with the CPU (self-test failed)'].filter(Boolean);
    this.description = `${gpu.name}${notes.length ? ', ' + notes.join(', ') : ''}`;
    const self = this;
    this.ctx = {
      stream,
      limits: gpu.limits,
      exactGuard: this.exactGuard ? { EXACT_GUARD: 1 } : undefined,
      temp(words: number): GPUBuffer {
        const b = pool.acquire(Math.max(1, words) * 4);
        self.temps.push(b);
        return b;
      },
    };
  }

  /**
   * Opens the device and runs the self-test. Resolves to `{ unavailable }` when there is no
   * adapter; throws a BackendError when the self-test fails in strict mode.
   */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend | { unavailable: string }> {
    const dev = await GpuDevice.open({ refuseSoftware: options.refuseSoftware });
    if (typeof dev === 'string') return { unavailable: dev };
    const pool = new BufferPool(dev.device);
    const pipelines = new PipelineCache(dev.device);
    const stream = new CommandStream(dev, pool, pipelines);
    let result: SelfTestResult | undefined;
    try {
      if (options.selfTest !== false) result = await runSelfTest(stream, pool, options.selfTestTamper);
      dev.check('startup');
    } catch (e) {
      dev.close();
      throw e;
    }
    const verdict = selfTestVerdict(result, dev.name, options.strict ?? process.env.DITTO_STRICT_WEBGPU === '1');
    if (verdict.error) {
      dev.close();
      throw new BackendError(verdict.error);
    }
    if (verdict.warning) (options.warn ?? console.warn)(`\n*** WARNING *** ${verdict.warning}\n`);
    return new WebGpuBackend(dev, pool, pipelines, stream, result, options.exactGuard ?? process.env.DITTO_WEBGPU_GUARD === '1');
  }

  private handle(h: GpuHandle, fn: string): GpuHandle {
    if (h.freed) throw new BackendError(`webgpu: ${fn}: expected a live buffer. Received: buffer ${h.id}, already freed`);
    return h;
  }

  /** maxBufferSize in bytes of tensor data: every element takes 4 bytes on the device (uint8 too). */
  maxBufferBytes(dtype: DType): number {
    return Math.floor(this.gpu.limits.maxBufferSize / 4) * (dtype === 'uint8' ? 1 : 4);
  }

  alloc(dtype: DType, size: number): GpuHandle {
    this.gpu.check('alloc');
    const bytes = Math.max(1, size) * 4;
    if (bytes > this.gpu.limits.maxBufferSize) {
      throw new BackendError(`webgpu: alloc: expected at most ${this.gpu.limits.maxBufferSize} bytes per tensor. Received: ${size} elements of ${dtype}`);
    }
    const h: GpuHandle = { id: this.nextId++, buffer: this.pool.acquire(bytes), size, dtype, freed: false };
    this.live.add(h.id);
    return h;
  }

  write(handle: GpuHandle, dtype: DType, data: TypedArray): void {
    this.gpu.check('write');
    const h = this.handle(handle, 'write');
    if (data.length !== h.size) {
      throw new ArgumentError(`webgpu: write: expected ${h.size} elements. Received: ${data.length}`);
    }
    if (data.length === 1) {
      // A scalar (a step records about 18: the numbers in ops like mul(x, 2)) is written by the fill shader with its
      // 32-bit word (the typed array's own bits, NaN payloads included): a dispatch in the open compute pass rather
      // than a staged copy, which would end the pass and start another.
      const word = dtype === 'uint8' ? (data as Uint8Array)[0] : new Uint32Array(data.buffer, data.byteOffset, 1)[0];
      if (this.stream.profiling) this.stream.label = 'write';
      fillWords(this.ctx, h.buffer, 1, word);
      return;
    }
    const words = dtype === 'uint8' ? Uint32Array.from(data as Uint8Array) : data;
    this.stream.upload(h.buffer, 0, new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  }

  async read(handle: GpuHandle, dtype: DType, size: number): Promise<TypedArray> {
    this.gpu.check('read');
    const h = this.handle(handle, 'read');
    const ab = await this.stream.readback(h.buffer, size * 4, 'read');
    this.gpu.check('read');
    if (dtype === 'float32') return new Float32Array(ab);
    if (dtype === 'int32') return new Int32Array(ab);
    return Uint8Array.from(new Uint32Array(ab));
  }

  free(handle: GpuHandle): void {
    if (handle.freed) return;
    handle.freed = true;
    this.live.delete(handle.id);
    if (!this.gpu.isLost) this.pool.release(handle.buffer);
  }

  liveBuffers(): number {
    return this.live.size;
  }

  run<O extends OpName>(op: O, inputs: readonly TensorInfo<GpuHandle>[], attrs: OpAttrMap[O], output: TensorInfo<GpuHandle>): void {
    this.gpu.check(op);
    const kernel = WEBGPU_KERNELS[op] as GpuKernel<O> | undefined;
    if (!kernel) throw new UnsupportedOpError(op, this.name);
    for (const t of inputs) this.handle(t.handle, op);
    this.handle(output.handle, op);
    if (this.stream.profiling) this.stream.label = `${op} ${inputs.map((t) => `[${t.shape.join(',')}]`).join(' ')}`;
    try {
      kernel(this.ctx, inputs, attrs, output);
    } finally {
      // Scratch buffers go back to the pool at once: later users are ordered after this op.
      for (const b of this.temps) this.pool.release(b);
      this.temps = [];
    }
  }

  supports(op: OpName): boolean {
    return op in WEBGPU_KERNELS;
  }

  async sync(): Promise<void> {
    this.gpu.check('sync');
    await this.stream.idle('sync');
    this.gpu.check('sync');
  }

  /** Ends a step: submits it with a fence and waits (sleeping) until the device has at most this step left to run. */
  async pace(): Promise<void> {
    this.gpu.check('pace');
    await this.stream.mark('pace');
    this.gpu.check('pace');
  }

  /** Submits recorded work without waiting. */
  flush(): void {
    this.gpu.check('flush');
    this.stream.flush();
  }

  /** The dispatches recorded since the last call (only with DITTO_WEBGPU_PROFILE=1; see commands.ts). */
  takeRecordedDispatches(): RecordedDispatch[] {
    return this.stream.takeRecorded();
  }

  /** GPU time per `<op>/<shader>` since the last call (only with DITTO_WEBGPU_PROFILE=1; see commands.ts). */
  profile(): Promise<ProfileReport> {
    return this.stream.profile();
  }

  stats(): WebGpuStats {
    return { pool: this.pool.stats(), stream: this.stream.stats(), pipelines: this.pipelines.stats(), liveBuffers: this.live.size };
  }

  async dispose(): Promise<void> {
    if (this.gpu.isLost) {
      this.gpu.close();
      return;
    }
    try {
      await this.stream.idle('dispose');
    } catch {
      // the device is going away anyway
    }
    this.stream.destroy();
    this.pool.destroyAll();
    this.gpu.close();
  }
}

/**
 * What to do with a self-test result: nothing when it passed (or was skipped), a loud warning that
 * bit-exactness with the CPU is not guaranteed, or (strict) an error refusing to start.
 */
export function selfTestVerdict(result: SelfTestResult | undefined, adapter: string, strict: boolean): { warning?: string; error?: string } {
  if (!result || result.ok) return {};
  const msg = result.flushesSubnormals
    ? `webgpu: the adapter '${adapter}' flushes subnormal float32 values to zero (${JSON.stringify(result.mismatches)} of ${result.checked} self-test checks differ, all of them with a subnormal operand or result). Elementwise + - * /, sqrt and comparisons stay exact (computed around the flushing); sums and products inside matmul, convolutions, reductions, pooling, resize and exp/log/tanh can differ from the CPU backend's bits where a value below 2^-126 (1.18e-38) in magnitude occurs there. First: ${result.failures.slice(0, 2).join('; ')}`
    : `webgpu: the adapter '${adapter}' failed the float32 self-test (${JSON.stringify(result.mismatches)} of ${result.checked} checks differ from correctly rounded results): WebGPU results are NOT guaranteed to be bit-identical to the CPU backend. First: ${result.failures.slice(0, 3).join('; ')}`;
  return strict ? { error: `${msg}. Refusing to start because DITTO_STRICT_WEBGPU=1.` } : { warning: msg };
}

/** Backend factory for the composition root: the backend, or `{ unavailable }` without an adapter. */
export function createWebGpuBackend(options?: WebGpuOptions): Promise<WebGpuBackend | { unavailable: string }> {
  return WebGpuBackend.create(options);
}
