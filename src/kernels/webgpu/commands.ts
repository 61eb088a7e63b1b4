/**
 * The backend's one command stream: every dispatch, upload and readback copy is recorded, in
 * program order, into a single command encoder that is submitted in batches (many dispatches per
 * submission). Synchronization points are only `flush()` (when a batch is full), `readback` and
 * the backend's `sync()`.
 *  - Uniform parameters of every dispatch are appended to a host-side arena and written into one
 *    uniform buffer with a single `queue.writeBuffer` right before the batch is submitted. That
 *    is safe: writeBuffer executes on the queue timeline after all earlier submissions, and no
 *    region is written twice within a batch. The params are bound with a dynamic offset, so a
 *    bind group depends only on the shader and the storage ranges, and is created once and
 *    reused (a training step binds the same pooled buffers every time; createBindGroup costs
 *    about 40 us of JS time per call).
 *  - Uploads are staged inside the stream (a mapped staging buffer plus a copy command), never
 *    with `queue.writeBuffer`, which would run before commands encoded but not yet submitted and
 *    could overwrite a pooled buffer that pending commands still read.
 *  - Step marks (`mark`, the backend's `pace`): fit, evaluate and predict mark the end of each
 *    batch's work with a fence (a 4-byte buffer cleared in that submission; mapping it resolves
 *    when that submission has run, even while later ones still run) and wait for the mark
 *    before, so the host records at most one step ahead of the device: the GPU always has the
 *    next step queued, memory and the sleep below stay bounded by a step, and a progress bar
 *    shows what the device has done. Without marks the host would record a whole epoch in a
 *    fraction of a second and then wait for all of it.
 *  - Waits sleep first: Dawn spins the JS thread while a GPU promise is pending, taking a core
 *    from lavapipe. Each dispatch carries a rough cost; a wait sleeps for most of the predicted
 *    time left (the cost of what it waits for beyond the last observed completion x a learned
 *    ns-per-unit rate, less the time the device has worked on it) before awaiting. Waits for work
 *    that compiled pipelines (first use) neither sleep nor teach the rate, so warm-up does not
 *    inflate later sleeps (the rules: wait-rate.ts). DITTO_WEBGPU_SLEEP=0 disables it; DITTO_WEBGPU_WAIT_LOG=1
 *    logs each wait.
 *  - Profiling (DITTO_WEBGPU_PROFILE=1 and a device with 'timestamp-query'; bench/webgpu-step.ts):
 *    every dispatch gets its own compute pass with timestamps, labelled `<op>/<shader>` (the op
 *    from `label`), and `profile()` returns the GPU time per label. Off by default: passes then
 *    hold many dispatches.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { BackendError } from '../../core/errors.ts';
import type { GpuDevice } from './device.ts';
import type { BufferPool } from './buffer-pool.ts';
import type { PipelineCache } from './pipelines.ts';
import type { ShaderName } from './shaders.gen.ts';
import { WaitRate } from './wait-rate.ts';

const UNIFORM_BYTES = 256 * 1024;
/** Largest shared staging buffer; uploads above a quarter of it get their own. */
const STAGING_BYTES = 256 * 1024;
/**
 * Smallest shared staging buffer. A staging buffer is made per batch (createBuffer mapped at creation: about 20 us
 * at 4 KB, 200 us at 256 KB on lavapipe), sized for what the previous batch staged, so a training step's few scalar
 * uploads do not pay for 256 KB.
 */
const STAGING_MIN_BYTES = 4096;
/** Batch size: a submission is made after this many dispatches (so the GPU starts early). */
const MAX_PENDING_DISPATCHES = 384;
/** Bind groups kept for reuse before the cache is emptied. */
const MAX_CACHED_GROUPS = 4096;

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
/** DITTO_WEBGPU_WAIT_LOG=1: one line per wait on stderr (cost, rate, predicted, slept, awaited), for tuning. */
const WAIT_LOG = process.env.DITTO_WEBGPU_WAIT_LOG === '1';
/** Submissions remembered for the waits' predictions (see flush). */
const MAX_SUBMITS_KEPT = 64;
/** Step marks the host may run ahead of the device (`mark` waits for older ones). */
const MAX_MARKS_AHEAD = 1;

/**
 * A storage buffer bound to a shader: `bytes` bytes (default: the whole buffer) from byte
 * `offset` (default 0; a multiple of minStorageBufferOffsetAlignment).
 */
export interface Binding {
  buffer: GPUBuffer;
  offset?: number;
  bytes?: number;
}

/** A dispatch as recorded (profiling only), for replaying it alone (bench/webgpu-step.ts). */
export interface RecordedDispatch {
  label: string;
  pipeline: GPUComputePipeline;
  group: GPUBindGroup;
  groups: [number, number, number];
}

/** GPU time per `<op>/<shader>` label (profiling only). */
export type ProfileReport = Map<string, { ms: number; n: number }>;

const QUERY_PAIRS = 512;
const BUF_QUERY_RESOLVE = 0x200;

export interface StreamStats {
  dispatches: number;
  submits: number;
  uploads: number;
  readbacks: number;
  /** Step marks made (`mark`), and those whose work is not yet known to have run. */
  marks: number;
  marksAhead: number;
  /** Bind groups created for dispatches (not found in the cache: a dispatch bound a new set of buffers). */
  bindGroups: number;
}

/** The least power of two >= `n` (n >= 1). */
function pow2(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/** Records and submits the backend's GPU work. */
export class CommandStream {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly uniform: GPUBuffer;
  private readonly uniformHost = new Uint8Array(UNIFORM_BYTES);
  /** The same arena as 32-bit words (params are written through it). */
  private readonly uniformWords = new Uint32Array(this.uniformHost.buffer);
  /** The pipeline last set on the open pass (null: none yet). */
  private passPipeline: GPUComputePipeline | null = null;
  private uniformUsed = 0;
  private staging: { buffer: GPUBuffer; bytes: Uint8Array; used: number } | null = null;
  /** Bytes staged in shared staging buffers since the last submit, and the size the next one gets. */
  private staged = 0;
  private stagingSize = STAGING_MIN_BYTES;
  private readonly mapped: GPUBuffer[] = [];
  /** Bind groups by shader and bound ranges (the params' offset is dynamic), and buffer ids. */
  private readonly groups = new Map<string, GPUBindGroup>();
  /** Per buffer: a number for the group keys, and its size (read once: `GPUBuffer.size` is a native getter). */
  private readonly bufferInfo = new WeakMap<GPUBuffer, { id: number; size: number }>();
  private nextBufferId = 1;
  private pending = 0;
  private readonly align: number;
  private readonly st: Omit<StreamStats, 'marksAhead'> = { dispatches: 0, submits: 0, uploads: 0, readbacks: 0, marks: 0, bindGroups: 0 };
  /**
   * Cost (cumulative, cost units) of the dispatches recorded, submitted, and known to have run (when that was last
   * observed: doneAt); the learned cost rate and its rules are `rate` (wait-rate.ts).
   */
  private recordedCost = 0;
  private submittedCost = 0;
  private doneCost = 0;
  private doneAt = 0;
  private readonly rate = new WaitRate(SLEEP);
  /** Submissions with work not yet known to have run, as pairs: time submitted, submittedCost after it. */
  private readonly submits: number[] = [];
  /** Step marks not yet waited for (oldest first): the fence and the submitted cost it follows. */
  private readonly marks: { fence: GPUBuffer; cost: number }[] = [];
  private readonly freeFences: GPUBuffer[] = [];
  /** Whether dispatches are timed (DITTO_WEBGPU_PROFILE=1). */
  get profiling(): boolean {
    return this.prof !== null;
  }

  /** The op being recorded (profiling labels). */
  label = '';
  private readonly prof: { set: GPUQuerySet; labels: string[]; pending: { buffer: GPUBuffer; labels: string[] }[]; report: ProfileReport; recorded: RecordedDispatch[] } | null = null;

  constructor(private readonly dev: GpuDevice, private readonly pool: BufferPool, private readonly pipelines: PipelineCache) {
    this.uniform = dev.device.createBuffer({ size: UNIFORM_BYTES, usage: BUF_UNIFORM | BUF_COPY_DST, label: 'ditto params' });
    this.align = Math.max(16, dev.limits.minUniformBufferOffsetAlignment);
    if (process.env.DITTO_WEBGPU_PROFILE === '1' && dev.device.features.has('timestamp-query')) {
      this.prof = { set: dev.device.createQuerySet({ type: 'timestamp', count: 2 * QUERY_PAIRS }), labels: [], pending: [], report: new Map(), recorded: [] };
    }
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
      this.passPipeline = null;
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
    if (this.uniformUsed + pbytes > UNIFORM_BYTES || this.pending >= MAX_PENDING_DISPATCHES || (this.prof && this.prof.labels.length >= QUERY_PAIRS)) this.flush();
    const offset = this.uniformUsed;
    // (offset: a multiple of the alignment, 16 or more; params: whole 32-bit words)
    this.uniformWords.set(params, offset >> 2);
    this.uniformUsed = offset + Math.ceil(pbytes / this.align) * this.align;

    const pipeline = this.pipelines.get(name, constants);
    // Bind groups are reused: a training step binds the same pooled buffers every time. The key is built without
    // intermediate arrays or closures (this runs for every dispatch); the entries only when a group is created.
    let key = `${name}|${pbytes}`;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i];
      const info = this.info(b.buffer);
      const off = b.offset ?? 0;
      key += `|${info.id}:${off}:${this.bindingSize(name, b, info.size, off)}`;
    }
    let group = this.groups.get(key);
    if (!group) {
      // Groups of buffers destroyed since (evicted from the pool) are never looked up again; the
      // cache is emptied when it grows large.
      if (this.groups.size >= MAX_CACHED_GROUPS) this.groups.clear();
      group = this.device.createBindGroup({ layout: this.pipelines.layout(name), entries: this.entries(name, bindings, this.uniform, pbytes) });
      this.groups.set(key, group);
      this.st.bindGroups++;
    }
    if (this.prof) {
      this.endPass();
      const q = this.prof.labels.length;
      this.prof.labels.push(`${this.label}/${name}`);
      // The replay copy binds its own copy of the params (the arena is rewritten every batch).
      const own = this.device.createBuffer({ size: Math.max(16, pbytes), usage: BUF_UNIFORM | BUF_COPY_DST });
      this.device.queue.writeBuffer(own, 0, params.buffer, params.byteOffset, pbytes);
      const replay = this.device.createBindGroup({ layout: this.pipelines.layout(name), entries: this.entries(name, bindings, own, pbytes) });
      this.prof.recorded.push({ label: `${this.label}/${name}`, pipeline, group: replay, groups: [groups[0], groups[1], groups[2]] });
      this.pass = this.enc().beginComputePass({ timestampWrites: { querySet: this.prof.set, beginningOfPassWriteIndex: 2 * q, endOfPassWriteIndex: 2 * q + 1 } });
      this.passPipeline = null;
    }
    if (!this.pass) {
      this.pass = this.enc().beginComputePass();
      this.passPipeline = null;
    }
    // A pass keeps its pipeline between dispatches: set it only when it changes (one Dawn call less).
    if (this.passPipeline !== pipeline) {
      this.pass.setPipeline(pipeline);
      this.passPipeline = pipeline;
    }
    this.pass.setBindGroup(0, group, [offset]);
    this.pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.pending++;
    this.st.dispatches++;
    this.recordedCost += options.cost ?? groups[0] * groups[1] * groups[2] * 64;
  }

  /** The key number and size of `buffer` (looked up once per buffer). */
  private info(buffer: GPUBuffer): { id: number; size: number } {
    let info = this.bufferInfo.get(buffer);
    if (info === undefined) this.bufferInfo.set(buffer, (info = { id: this.nextBufferId++, size: buffer.size }));
    return info;
  }

  /**
   * The bound size of `b` (from byte `off`; `bufferSize`: its buffer's size): whole words, at least one; refused beyond
   * the device's binding limit.
   */
  private bindingSize(name: ShaderName, b: Binding, bufferSize: number, off: number): number {
    const size = Math.max(4, Math.ceil(Math.min(b.bytes ?? bufferSize, bufferSize - off) / 4) * 4);
    const maxBinding = this.dev.limits.maxStorageBufferBindingSize;
    if (size > maxBinding) {
      throw new BackendError(`webgpu: ${name}: a tensor of ${size} bytes exceeds the device's maxStorageBufferBindingSize (${maxBinding} bytes), and this op does not split large tensors`);
    }
    return size;
  }

  /** Bind group entries: the storage `bindings` at 0..k-1, then `uniform`'s first `pbytes` bytes at k. */
  private entries(name: ShaderName, bindings: readonly Binding[], uniform: GPUBuffer, pbytes: number): GPUBindGroupEntry[] {
    const entries: GPUBindGroupEntry[] = [];
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i];
      const offset = b.offset ?? 0;
      entries.push({ binding: i, resource: { buffer: b.buffer, offset, size: this.bindingSize(name, b, this.info(b.buffer).size, offset) } });
    }
    entries.push({ binding: bindings.length, resource: { buffer: uniform, offset: 0, size: pbytes } });
    return entries;
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
      if (!this.staging || this.staging.used + bytes > this.staging.bytes.byteLength) {
        const size = Math.min(STAGING_BYTES, Math.max(this.stagingSize, pow2(bytes)));
        const buffer = this.device.createBuffer({ size, usage: BUF_COPY_SRC, mappedAtCreation: true });
        this.mapped.push(buffer);
        this.staging = { buffer, bytes: new Uint8Array(buffer.getMappedRange()), used: 0 };
        // a batch that fills one gets a larger one next
        this.stagingSize = Math.min(STAGING_BYTES, 2 * size);
      }
      this.staged += Math.ceil(bytes / 4) * 4;
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
    if (this.prof && this.prof.labels.length) {
      const n = this.prof.labels.length;
      const resolve = this.device.createBuffer({ size: 16 * n, usage: BUF_QUERY_RESOLVE | BUF_COPY_SRC });
      const buffer = this.device.createBuffer({ size: 16 * n, usage: BUF_MAP_READ | BUF_COPY_DST });
      this.encoder.resolveQuerySet(this.prof.set, 0, 2 * n, resolve, 0);
      this.encoder.copyBufferToBuffer(resolve, 0, buffer, 0, 16 * n);
      this.mapped.push(resolve); // destroyed after the submit
      this.prof.pending.push({ buffer, labels: this.prof.labels.splice(0) });
    }
    if (this.uniformUsed > 0) this.device.queue.writeBuffer(this.uniform, 0, this.uniformHost, 0, this.uniformUsed);
    // (profiling: `mapped` also holds query resolve buffers, which are not mapped)
    for (const b of this.mapped) if (b.mapState === 'mapped') b.unmap();
    const cmd = this.encoder.finish();
    this.encoder = null;
    this.device.queue.submit([cmd]);
    for (const b of this.mapped.splice(0)) b.destroy();
    this.staging = null;
    // the next batch's first staging buffer: what this one staged (at least the minimum)
    if (this.staged > 0) this.stagingSize = Math.min(STAGING_BYTES, Math.max(STAGING_MIN_BYTES, pow2(this.staged)));
    this.staged = 0;
    this.uniformUsed = 0;
    this.pending = 0;
    this.st.submits++;
    if (this.recordedCost > this.submittedCost) {
      this.submittedCost = this.recordedCost;
      this.submits.push(performance.now(), this.submittedCost);
      // Work recorded without any wait (no read, no pace) would grow the list forever: drop the second oldest entry.
      // A wait after it then takes the device's start from an earlier submission, which only shortens its sleep.
      if (this.submits.length > 2 * MAX_SUBMITS_KEPT) this.submits.splice(2, 2);
    }
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
      await this.wait(this.submittedCost, () => rb.mapAsync(MAP_MODE_READ), during);
      return rb.getMappedRange(0, size).slice(0, bytes);
    } finally {
      if (rb.mapState === 'mapped') rb.unmap();
      rb.destroy();
    }
  }

  /** Waits until every submitted command has executed (raced against device loss). */
  async idle(during: string): Promise<void> {
    this.flush();
    await this.wait(this.submittedCost, () => this.device.queue.onSubmittedWorkDone(), during);
  }

  /**
   * Marks the end of one step's work (submitting it, with a fence) and waits until at most MAX_MARKS_AHEAD marks are
   * still running: the host stays one step ahead of the device.
   */
  async mark(during: string): Promise<void> {
    const fence = this.freeFences.pop() ?? this.device.createBuffer({ size: 4, usage: BUF_MAP_READ | BUF_COPY_DST, label: 'ditto step mark' });
    this.endPass();
    this.enc().clearBuffer(fence);
    this.flush();
    this.marks.push({ fence, cost: this.submittedCost });
    this.st.marks++;
    while (this.marks.length > MAX_MARKS_AHEAD) {
      const m = this.marks.shift()!;
      if (m.cost > this.doneCost) await this.wait(m.cost, () => m.fence.mapAsync(MAP_MODE_READ), during);
      if (m.fence.mapState === 'mapped') m.fence.unmap();
      this.freeFences.push(m.fence);
    }
  }

  /**
   * Waits for the submitted work up to cumulative cost `target` (`start()` resolves when it has run): sleeps for most
   * of the predicted time first (so the JS thread does not spin while the GPU works), then awaits `start()` raced
   * against device loss, and updates the cost rate from what it observed.
   */
  private async wait<T>(target: number, start: () => Promise<T>, during: string): Promise<T> {
    const cost = target - this.doneCost;
    const now = performance.now();
    // The device has worked on it since the first submission after the last observed completion (or since then).
    let since = now;
    for (let i = 0; i < this.submits.length; i += 2) {
      if (this.submits[i + 1] > this.doneCost) {
        since = Math.max(this.submits[i], this.doneAt);
        break;
      }
    }
    // Pipelines compiled since the last wait (first use of a kernel) make its duration unrepresentative (wait-rate.ts).
    const plan = this.rate.plan(cost, this.pipelines.stats().compiled, now - since);
    if (plan.sleepMs > 0) await new Promise((r) => setTimeout(r, plan.sleepMs));
    const t1 = performance.now();
    const result = await this.dev.guard(start(), during);
    const t2 = performance.now();
    this.rate.observe(plan, cost, t2 - t1, t2 - since);
    if (target > this.doneCost) {
      this.doneCost = target;
      this.doneAt = t2;
      let k = 0;
      while (k < this.submits.length && this.submits[k + 1] <= target) k += 2;
      this.submits.splice(0, k);
    }
    if (WAIT_LOG) console.error(`webgpu wait (${during}): cost ${(cost / 1e6).toFixed(2)}M units, rate ${this.rate.nsPerUnit.toFixed(3)} ns/unit${plan.learn ? '' : ' (not learned)'}, running ${(now - since).toFixed(1)} ms, predicted left ${plan.predictedMs.toFixed(1)} ms, slept ${plan.sleepMs > 0 ? (t1 - now).toFixed(1) : 0} ms, then awaited ${(t2 - t1).toFixed(1)} ms`);
    return result;
  }

  /** Profiling: the dispatches recorded since the last call (their buffers may have been reused since). */
  takeRecorded(): RecordedDispatch[] {
    return this.prof ? this.prof.recorded.splice(0) : [];
  }

  /** Profiling: GPU milliseconds per label of everything submitted so far (waits for it). */
  async profile(): Promise<ProfileReport> {
    if (!this.prof) return new Map();
    await this.idle('profile');
    for (const { buffer, labels } of this.prof.pending.splice(0)) {
      await buffer.mapAsync(MAP_MODE_READ);
      const t = new BigUint64Array(buffer.getMappedRange());
      labels.forEach((l, i) => {
        const e = this.prof!.report.get(l) ?? { ms: 0, n: 0 };
        e.ms += Number(t[2 * i + 1] - t[2 * i]) / 1e6;
        e.n++;
        this.prof!.report.set(l, e);
      });
      buffer.unmap();
      buffer.destroy();
    }
    const r = new Map(this.prof.report);
    this.prof.report.clear();
    return r;
  }

  stats(): StreamStats {
    let marksAhead = 0;
    for (const m of this.marks) if (m.cost > this.doneCost) marksAhead++;
    return { ...this.st, marksAhead };
  }

  /** Releases the stream's own buffers. */
  destroy(): void {
    this.encoder = null;
    this.pass = null;
    for (const b of this.mapped.splice(0)) b.destroy();
    for (const m of this.marks.splice(0)) m.fence.destroy();
    for (const f of this.freeFences.splice(0)) f.destroy();
    this.uniform.destroy();
  }
}
