// Minimal standalone WebGPU harness for tests (Dawn through the `webgpu` npm package): open an
// adapter and device, compile a compute shader once, run it over storage buffers, read back.
// Test-only: no engine code, no caching beyond what a caller keeps. Never imported by src/.
import { readFileSync } from 'node:fs';
import { create, globals } from 'webgpu';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
Object.assign(globalThis, globals);

// The Dawn instance must stay referenced for the life of the process: if it is garbage-collected,
// onSubmittedWorkDone segfaults or mapAsync never resolves (see /work/shared/guide/platform.md).
let gpuInstance: GPU | undefined;

/** An open device plus a description of its adapter. */
export interface RawGpu {
  readonly device: GPUDevice;
  /** e.g. "llvmpipe (LLVM 19.1.7, 256 bits) / vulkan" */
  readonly adapterName: string;
  /** Destroys the device; further use is an error. Idempotent. */
  destroy(): void;
}

/**
 * Opens a WebGPU device on the first adapter Dawn offers (requesting the adapter's own buffer-size
 * limits), or returns null when there is no adapter (no GPU and no working Vulkan driver).
 */
export async function openRawGpu(): Promise<RawGpu | null> {
  gpuInstance ??= create([]);
  const adapter = await gpuInstance.requestAdapter();
  if (!adapter) return null;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const info = adapter.info;
  const adapterName = [info.description || info.device || info.vendor || 'unknown adapter', info.architecture]
    .filter(Boolean)
    .join(' / ');
  let destroyed = false;
  return {
    device,
    adapterName,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      device.destroy();
    },
  };
}

/**
 * Compiles `code` (WGSL with one compute entry point, default `main`) into a pipeline with an
 * automatic layout and the given pipeline-overridable constants; throws with the compiler
 * messages if the module has errors.
 */
export async function compileCompute(
  gpu: RawGpu,
  code: string,
  constants?: Record<string, number>,
  entryPoint = 'main',
): Promise<GPUComputePipeline> {
  const module = gpu.device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new Error(`WGSL compilation failed:\n${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('\n')}`);
  }
  gpu.device.pushErrorScope('validation');
  const compute: GPUProgrammableStage = constants ? { module, entryPoint, constants } : { module, entryPoint };
  const pipeline = await gpu.device.createComputePipelineAsync({ layout: 'auto', compute });
  const err = await gpu.device.popErrorScope();
  if (err) throw new Error(`pipeline creation failed: ${err.message}`);
  return pipeline;
}

/** Buffers and geometry of one dispatch. Bindings in group 0: inputs, then outputs, then the uniform. */
export interface DispatchSpec {
  /** read-only storage buffers, bindings 0..inputs.length-1 */
  inputs: ArrayBufferView[];
  /** byte sizes of read_write storage buffers (zero-filled), the next bindings */
  outputBytes: number[];
  /** optional uniform buffer contents (the last binding), 16-byte multiple */
  uniform?: ArrayBufferView;
  /** workgroup counts */
  workgroups: [number, number?, number?];
}

/** Runs one dispatch of `pipeline` and returns the contents of the output buffers. */
export async function runCompute(gpu: RawGpu, pipeline: GPUComputePipeline, spec: DispatchSpec): Promise<ArrayBuffer[]> {
  const { device } = gpu;
  const owned: GPUBuffer[] = [];
  const makeBuffer = (size: number, usage: number): GPUBuffer => {
    const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    owned.push(b);
    return b;
  };
  try {
    const entries: GPUBindGroupEntry[] = [];
    for (const data of spec.inputs) {
      const b = makeBuffer(data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
      entries.push({ binding: entries.length, resource: { buffer: b } });
    }
    const outputs = spec.outputBytes.map((size) => {
      const b = makeBuffer(size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
      entries.push({ binding: entries.length, resource: { buffer: b } });
      return b;
    });
    if (spec.uniform) {
      const b = makeBuffer(spec.uniform.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      device.queue.writeBuffer(b, 0, spec.uniform.buffer, spec.uniform.byteOffset, spec.uniform.byteLength);
      entries.push({ binding: entries.length, resource: { buffer: b } });
    }
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const readbacks = outputs.map((o) => makeBuffer(o.size, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST));
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(spec.workgroups[0], spec.workgroups[1] ?? 1, spec.workgroups[2] ?? 1);
    pass.end();
    outputs.forEach((o, i) => enc.copyBufferToBuffer(o, 0, readbacks[i]!, 0, o.size));
    device.queue.submit([enc.finish()]);
    const result: ArrayBuffer[] = [];
    for (let i = 0; i < readbacks.length; i++) {
      const rb = readbacks[i]!;
      await rb.mapAsync(GPUMapMode.READ);
      result.push(rb.getMappedRange().slice(0, spec.outputBytes[i]!));
      rb.unmap();
    }
    return result;
  } finally {
    for (const b of owned) b.destroy();
  }
}

/**
 * The source of shaders/<name>.wgsl with the libraries named by first-line `// requires:`
 * directives prepended (depth first, each once), as scripts/embed-shaders.ts does.
 */
export function loadWgsl(name: string, seen: Set<string> = new Set()): string {
  const text = readFileSync(new URL(`../../shaders/${name}.wgsl`, import.meta.url), 'utf8');
  const m = /^\/\/\s*requires:\s*(.+)$/.exec(text.split('\n', 1)[0]!.trim());
  let out = '';
  for (const lib of m ? m[1]!.split(',').map((x) => x.trim()).filter(Boolean) : []) {
    if (seen.has(lib)) continue;
    seen.add(lib);
    out += loadWgsl(lib, seen);
  }
  return out + text + (text.endsWith('\n') ? '' : '\n');
}
