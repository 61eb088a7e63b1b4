/**
 * The WebGPU device of the backend: the Dawn instance (`webgpu` npm package), the adapter, the
 * device created with the adapter's own limits, and the failure channels (device loss and
 * uncaptured errors) turned into BackendErrors that the next call reports. Never hangs: every
 * wait on the GPU is raced against device loss.
 * Part of src/kernels/webgpu: imports src/core only (and the `webgpu` package).
 */
import { BackendError } from '../../core/errors.ts';
import { vulkanUnavailable } from './vulkan-probe.ts';

/** The limits the backend requests from the adapter (the adapter's own values, not the defaults). */
const REQUESTED_LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupStorageSize',
  'maxUniformBufferBindingSize',
  'minUniformBufferOffsetAlignment',
  'minStorageBufferOffsetAlignment',
] as const;

/** What the kernels need to know about the device's limits. */
export interface DeviceLimits {
  maxStorageBuffersPerShaderStage: number;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
  minUniformBufferOffsetAlignment: number;
  minStorageBufferOffsetAlignment: number;
  maxUniformBufferBindingSize: number;
}

/** Adapter identity, for `Backend.description` and reports. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

type GpuEntry = GPU;

/**
 * The process's Dawn instance, shared by every open device and dropped only after the last one
 * is closed and its loss has been processed: a collected instance crashes Dawn callbacks that are
 * still pending, and a referenced one keeps the process alive.
 */
let shared: { gpu: GpuEntry; users: number } | null = null;

function releaseInstance(): void {
  if (shared && --shared.users === 0) shared = null;
}

/**
 * An open device. `check()` throws the pending failure (lost device, uncaptured error) if any;
 * `guard(p)` races a GPU promise against device loss.
 */
export class GpuDevice {
  private lostReason: string | null = null;
  private errors: string[] = [];
  private closed = false;
  private readonly lostPromise: Promise<never>;

  private readonly lostSettled: Promise<void>;

  private constructor(
    readonly adapter: GPUAdapter,
    readonly device: GPUDevice,
    readonly limits: DeviceLimits,
    readonly info: AdapterSummary,
  ) {
    this.lostSettled = device.lost.then(() => {});
    this.lostPromise = device.lost.then((info) => {
      this.lostReason = this.closed ? 'the backend was disposed' : `${info.reason}${info.message ? `: ${info.message.trim()}` : ''}`;
      throw this.lostError('a pending operation');
    });
    this.lostPromise.catch(() => {});
    device.addEventListener('uncapturederror', (ev) => {
      const msg = (ev as GPUUncapturedErrorEvent).error?.message ?? String(ev);
      if (this.errors.length < 8) this.errors.push(msg.trim());
    });
  }

  /**
   * Opens the Dawn instance, the default adapter and a device with the adapter's limits.
   * Resolves to a reason string when no adapter exists (no Vulkan/Metal/D3D driver).
   */
  static async open(options: { refuseSoftware?: boolean } = {}): Promise<GpuDevice | string> {
    // Without a Vulkan loader on Linux, Dawn would print a warning of its own: say ours instead.
    const noLoader = vulkanUnavailable();
    if (noLoader) return noLoader;
    let mod: typeof import('webgpu');
    try {
      mod = await import('webgpu');
    } catch (e) {
      return `the 'webgpu' package (Dawn) could not be loaded: ${(e as Error).message}`;
    }
    Object.assign(globalThis, mod.globals);
    if (!shared) shared = { gpu: mod.create([]), users: 0 };
    shared.users++;
    let adapter: GPUAdapter | null;
    let device: GPUDevice;
    try {
      adapter = await shared.gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (e) {
      releaseInstance();
      throw e;
    }
    if (!adapter) {
      releaseInstance();
      return 'no WebGPU adapter was found (Dawn needs a Vulkan, Metal or D3D12 driver; on a machine without a GPU install Mesa lavapipe >= 24, e.g. mesa-vulkan-drivers from bookworm-backports)';
    }
    if (options.refuseSoftware && isSoftwareAdapter(adapter)) {
      const info = adapter.info;
      releaseInstance();
      return `the only WebGPU adapter is a software one (${info.description || info.device || 'fallback adapter'}), which runs on the same CPU cores more slowly than the CPU backend; select it explicitly with setBackend('webgpu') to use it anyway`;
    }
    const requiredLimits: Record<string, number> = {};
    for (const k of REQUESTED_LIMITS) {
      const v = (adapter.limits as unknown as Record<string, number>)[k];
      if (typeof v === 'number') requiredLimits[k] = v;
    }
    // DITTO_WEBGPU_PROFILE=1 (bench/webgpu-step.ts): timestamps around every dispatch.
    const requiredFeatures: GPUFeatureName[] = process.env.DITTO_WEBGPU_PROFILE === '1' && adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    try {
      device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'ditto' });
    } catch (e) {
      releaseInstance();
      throw e;
    }
    const l = device.limits;
    const limits: DeviceLimits = {
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      minUniformBufferOffsetAlignment: l.minUniformBufferOffsetAlignment,
      minStorageBufferOffsetAlignment: l.minStorageBufferOffsetAlignment,
      maxUniformBufferBindingSize: l.maxUniformBufferBindingSize,
    };
    const i = adapter.info;
    const info: AdapterSummary = { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '' };
    return new GpuDevice(adapter, device, limits, info);
  }

  /** One line naming the adapter. */
  get name(): string {
    const i = this.info;
    return (i.description || [i.vendor, i.architecture, i.device].filter(Boolean).join(' ') || 'unknown adapter').trim();
  }

  /** Whether the device is gone (lost, destroyed or closed). */
  get isLost(): boolean {
    return this.lostReason !== null || this.closed;
  }

  private lostError(during: string): BackendError {
    if (this.closed && (this.lostReason === null || this.lostReason === 'the backend was disposed')) {
      return new BackendError(`webgpu: ${during} on a disposed backend. Received: a call after dispose()/dt.shutdown(); select a backend again with dt.setBackend().`);
    }
    return new BackendError(`webgpu: the GPU device was lost (${this.lostReason ?? 'unknown reason'}) during ${during}. Tensors on it are gone; call dt.shutdown() and select a backend again.`);
  }

  /** Throws if the device was lost or an uncaptured GPU error was reported since the last check. */
  check(during: string): void {
    if (this.isLost) throw this.lostError(during);
    if (this.errors.length) {
      const msgs = this.errors.splice(0);
      throw new BackendError(`webgpu: the device reported an error before ${during}: ${msgs.join(' | ')}`);
    }
  }

  /** Races `p` against device loss, so a lost device rejects instead of hanging. */
  async guard<T>(p: Promise<T>, during: string): Promise<T> {
    try {
      return await Promise.race([p, this.lostPromise]);
    } catch (e) {
      if (this.isLost) throw this.lostError(during);
      throw new BackendError(`webgpu: ${during} failed: ${(e as Error).message || String(e)}`);
    }
  }

  /**
   * Destroys the device; once its loss has been processed, the shared Dawn instance is dropped if
   * no other device uses it (so the process can exit). Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.device.destroy();
    void this.lostSettled.then(releaseInstance);
  }
}

/** Whether the adapter is a CPU rasterizer (lavapipe/llvmpipe, SwiftShader, WARP): the fallback flag or its architecture. */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return info.isFallbackAdapter === true || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader|warp/i.test(`${info.device} ${info.description}`);
}
