/**
 * The backend's one command stream: every dispatch, upload and readback copy is recorded, in
 * program order, into a single command encoder that is submitted in batches (many dispatches per
 * submission). Synchronization points are only `flush()` (when a batch is full), `readback` and
 * the backend's `sync()`.
 *  - Uniform parameters of every dispatch are appended to a host-side arena and written into one
 *    uniform buffer with a single `queue.writeBuffer` right before the batch is submitted. That
 *    is safe: writeBuffer executes on the queue timeline after all earlier submissions, and no
 *    region is written twice within a batch.
 *  - Uploads are staged inside the stream (a mapped staging buffer plus a copy command), never
 *    with `queue.writeBuffer`, which would run before commands encoded but not yet submitted and
 *    could overwrite a pooled buffer that pending commands still read.
 *  - Waits sleep first: Dawn spins the JS thread while a GPU promise is pending, taking a core
 *    from lavapipe. Each dispatch carries a rough cost; a wait sleeps for most of the predicted
 *    time (cost x a learned ns-per-unit rate) before awaiting. DITTO_WEBGPU_SLEEP=0 disables it.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { BackendError } from '../../core/errors.ts';
import type { GpuDevice } from './device.ts';
import type { BufferPool } from './buffer-pool.ts';
import type { PipelineCache } from './pipelines.ts';
import type { ShaderName } from './shaders.gen.ts';

const UNIFORM_BYTES = 256 * 1024;
const STAGING_BYTES = 256 * 1024;
/** Batch size: a submission is made after this many dispatches (so the GPU starts early). */
const MAX_PENDING_DISPATCHES = 384;

const BUF_MAP_READ = 0x01;
const BUF_COPY_SRC = 0x04;
const BUF_COPY_DST = 0x08;
const BUF_UNIFORM = 0x40;
const MAP_MODE_READ = 0x01;

/** Options of a dispatch. */
export interface DispatchOptions {
  /** Pipeline override values (a separate cached pipeline per set). */
  constants?: Record<string, number>;
  /** Rough work estimate in element-operations (default: one per invocation). */
  cost?: number;
}

const SLEEP = process.env.DITTO_WEBGPU_SLEEP !== '0';
/** Predicted waits shorter than this (ms) are not worth a sleep. */
const MIN_SLEEP_MS = 2;
/** Waits for less work than this (cost units) neither sleep nor teach the rate (overhead dominates). */
const MIN_LEARN_COST = 1e6;
/** Fixed cost of a wait (submit, map, copy), excluded when learning the rate. */
const WAIT_OVERHEAD_MS = 0.5;

/**
 * A storage buffer bound to a shader: `bytes` bytes (default: the whole buffer) from byte
 * `offset` (default 0; a multiple of minStorageBufferOffsetAlignment).
 */
export interface Binding {
  buffer: GPUBuffer;
  offset?: number;
  bytes?: number;
}

export interface StreamStats {
  dispatches: number;
  submits: number;
  uploads: number;
  readbacks: number;
}

/** Records and submits the backend's GPU work. */
export class CommandStream {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly uniform: GPUBuffer;
  private readonly uniformHost = new Uint8Array(UNIFORM_BYTES);
  private uniformUsed = 0;
  private staging: { buffer: GPUBuffer; bytes: Uint8Array; used: number } | null = null;
  private readonly mapped: GPUBuffer[] = [];
  private readonly layouts = new Map<GPUComputePipeline, GPUBindGroupLayout>();
  private pending = 0;
  private readonly align: number;
  private readonly st: StreamStats = { dispatches: 0, submits: 0, uploads: 0, readbacks: 0 };
  /** Cost recorded since the last wait, and the learned cost rate (ns per unit). */
  private pendingCost = 0;
  private nsPerUnit = 0;
  private longestWaitMs = 0;

  constructor(private readonly dev: GpuDevice, private readonly pool: BufferPool, private readonly pipelines: PipelineCache) {
    this.uniform = dev.device.createBuffer({ size: UNIFORM_BYTES, usage: BUF_UNIFORM | BUF_COPY_DST, label: 'ditto params' });
    this.align = Math.max(16, dev.limits.minUniformBufferOffsetAlignment);
  }

  private get device(): GPUDevice {
    return this.dev.device;
  }

  private enc(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    return this.encoder;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  /**
   * Records one dispatch of shader `name`: storage `bindings` at 0..k-1 in the shader's order
   * (inputs, then outputs), `params` (a whole Params struct, 16-byte multiple) at binding k.
   */
  dispatch(name: ShaderName, bindings: readonly Binding[], params: Uint32Array, groups: readonly [number, number, number], options: DispatchOptions = {}): void {
    const constants = options.constants;
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const maxDim = this.dev.limits.maxComputeWorkgroupsPerDimension;
    if (groups[0] > maxDim || groups[1] > maxDim || groups[2] > maxDim) {
      throw new BackendError(`webgpu: ${name}: dispatch of ${groups.join(' x ')} workgroups exceeds maxComputeWorkgroupsPerDimension (${maxDim}) (kernel bug)`);
    }
    const pbytes = params.byteLength;
    if (this.uniformUsed + pbytes > UNIFORM_BYTES || this.pending >= MAX_PENDING_DISPATCHES) this.flush();
    const offset = this.uniformUsed;
    this.uniformHost.set(new Uint8Array(params.buffer, params.byteOffset, pbytes), offset);
    this.uniformUsed = offset + Math.ceil(pbytes / this.align) * this.align;

    const pipeline = this.pipelines.get(name, constants);
    let layout = this.layouts.get(pipeline);
    if (!layout) {
      layout = pipeline.getBindGroupLayout(0);
      this.layouts.set(pipeline, layout);
    }
    const maxBinding = this.dev.limits.maxStorageBufferBindingSize;
    const entries: GPUBindGroupEntry[] = bindings.map((b, i) => {
      const offset = b.offset ?? 0;
      const size = Math.max(4, Math.ceil(Math.min(b.bytes ?? b.buffer.size, b.buffer.size - offset) / 4) * 4);
      if (size > maxBinding) {
        throw new BackendError(`webgpu: ${name}: a tensor of ${size} bytes exceeds the device's maxStorageBufferBindingSize (${maxBinding} bytes), and this op does not split large tensors`);
      }
      return { binding: i, resource: { buffer: b.buffer, offset, size } };
    });
    entries.push({ binding: bindings.length, resource: { buffer: this.uniform, offset, size: pbytes } });
    const group = this.device.createBindGroup({ layout, entries });
    if (!this.pass) this.pass = this.enc().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.pending++;
    this.st.dispatches++;
    this.pendingCost += options.cost ?? groups[0] * groups[1] * groups[2] * 64;
  }

  /** Records a buffer-to-buffer copy (offsets and size multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes === 0) return;
    this.endPass();
    this.enc().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Records an upload of `data` (byte length a multiple of 4) into `dst` at `dstOffset`. */
  upload(dst: GPUBuffer, dstOffset: number, data: Uint8Array): void {
    const bytes = data.byteLength;
    if (bytes === 0) return;
    this.st.uploads++;
    let src: GPUBuffer;
    let srcOffset: number;
    if (bytes > STAGING_BYTES / 4) {
      src = this.device.createBuffer({ size: bytes, usage: BUF_COPY_SRC, mappedAtCreation: true });
      new Uint8Array(src.getMappedRange()).set(data);
      this.mapped.push(src);
      srcOffset = 0;
    } else {
      if (!this.staging || this.staging.used + bytes > STAGING_BYTES) {
        const buffer = this.device.createBuffer({ size: STAGING_BYTES, usage: BUF_COPY_SRC, mappedAtCreation: true });
        this.mapped.push(buffer);
        this.staging = { buffer, bytes: new Uint8Array(buffer.getMappedRange()), used: 0 };
      }
      src = this.staging.buffer;
      srcOffset = this.staging.used;
      this.staging.bytes.set(data, srcOffset);
      this.staging.used += Math.ceil(bytes / 4) * 4;
    }
    this.copy(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    this.endPass();
    if (!this.encoder) return;
    if (this.uniformUsed > 0) this.device.queue.writeBuffer(this.uniform, 0, this.uniformHost, 0, this.uniformUsed);
    for (const b of this.mapped) b.unmap();
    const cmd = this.encoder.finish();
    this.encoder = null;
    this.device.queue.submit([cmd]);
    for (const b of this.mapped.splice(0)) b.destroy();
    this.staging = null;
    this.uniformUsed = 0;
    this.pending = 0;
    this.st.submits++;
    this.pool.afterSubmit();
  }

  /** Copies the first `bytes` bytes of `src` to the host, after all work recorded so far. */
  async readback(src: GPUBuffer, bytes: number, during: string): Promise<ArrayBuffer> {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const rb = this.device.createBuffer({ size, usage: BUF_MAP_READ | BUF_COPY_DST });
    this.copy(src, 0, rb, 0, size);
    this.flush();
    this.st.readbacks++;
    try {
      await this.wait(() => rb.mapAsync(MAP_MODE_READ), during);
      return rb.getMappedRange(0, size).slice(0, bytes);
    } finally {
      if (rb.mapState === 'mapped') rb.unmap();
      rb.destroy();
    }
  }

  /** Waits until every submitted command has executed (raced against device loss). */
  async idle(during: string): Promise<void> {
    this.flush();
    await this.wait(() => this.device.queue.onSubmittedWorkDone(), during);
  }

  /**
   * Waits for submitted work: sleeps for most of the predicted time first (so the JS thread does
   * not spin while the GPU works), then awaits `start()` raced against device loss, and updates
   * the cost rate from what it observed.
   */
  private async wait<T>(start: () => Promise<T>, during: string): Promise<T> {
    const cost = this.pendingCost;
    this.pendingCost = 0;
    const learn = cost >= MIN_LEARN_COST;
    // Predicted duration, never more than the longest wait seen (a bad estimate costs little).
    const predicted = learn && this.nsPerUnit > 0 ? Math.min((cost * this.nsPerUnit) / 1e6, this.longestWaitMs) : 0;
    const slept = SLEEP && predicted >= MIN_SLEEP_MS;
    const t0 = performance.now();
    if (slept) await new Promise((r) => setTimeout(r, predicted * 0.8));
    const t1 = performance.now();
    const result = await this.dev.guard(start(), during);
    const t2 = performance.now();
    if (learn) {
      this.longestWaitMs = Math.max(this.longestWaitMs, t2 - t0);
      if (!slept || t2 - t1 > 0.5) {
        // the work outlasted any sleep: the elapsed time (less a fixed overhead) measures it
        const observed = (Math.max(0, t2 - t0 - WAIT_OVERHEAD_MS) * 1e6) / cost;
        this.nsPerUnit = this.nsPerUnit > 0 ? 0.7 * this.nsPerUnit + 0.3 * observed : observed;
      } else {
        this.nsPerUnit *= 0.7; // finished while sleeping: predict less next time
      }
    }
    return result;
  }

  stats(): StreamStats {
    return { ...this.st };
  }

  /** Releases the stream's own buffers. */
  destroy(): void {
    this.encoder = null;
    this.pass = null;
    for (const b of this.mapped.splice(0)) b.destroy();
    this.uniform.destroy();
  }
}
