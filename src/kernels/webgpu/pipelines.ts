/**
 * Compute pipelines, compiled once per device and cached by shader name + override constants
 * (tfjs's `shaderKey`). Compilation on lavapipe costs 0.3-4 s per pipeline, so shapes travel in
 * uniforms, never in overrides, and the set of shaders is small. `TE_PRINT_WGSL=<name>` (or
 * `all`) prints a shader's full source to stderr when it is compiled.
 * Every shader gets an explicit bind group layout read from its declarations (storage read-only,
 * storage read_write, and the uniform params with a dynamic offset), shared by all its pipeline
 * variants, so the command stream can reuse bind groups across dispatches (commands.ts).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { SHADERS, type ShaderName } from './shaders.gen.ts';

const STAGE_COMPUTE = 4;
const BINDING = /@group\(0\)\s*@binding\((\d+)\)\s*var<([^>]+)>/g;

export interface PipelineStats {
  compiled: number;
  /** Milliseconds spent in pipeline creation. */
  compileMs: number;
}

/** The pipeline cache of one device. */
export class PipelineCache {
  private readonly cache = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<ShaderName, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();
  private compiled = 0;
  private compileMs = 0;

  constructor(private readonly device: GPUDevice) {}

  /** The bind group layout of `name` (bindings as declared; the uniform with a dynamic offset). */
  layout(name: ShaderName): GPUBindGroupLayout {
    return this.layoutsOf(name).group;
  }

  private layoutsOf(name: ShaderName): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
    let l = this.layouts.get(name);
    if (l) return l;
    const entries: GPUBindGroupLayoutEntry[] = [];
    for (const m of SHADERS[name].matchAll(BINDING)) {
      const space = m[2].replace(/\s/g, '');
      const type: GPUBufferBindingType = space === 'uniform' ? 'uniform' : space === 'storage,read_write' ? 'storage' : 'read-only-storage';
      entries.push({ binding: Number(m[1]), visibility: STAGE_COMPUTE, buffer: { type, hasDynamicOffset: type === 'uniform' } });
    }
    const group = this.device.createBindGroupLayout({ entries, label: name });
    l = { group, pipeline: this.device.createPipelineLayout({ bindGroupLayouts: [group], label: name }) };
    this.layouts.set(name, l);
    return l;
  }

  /** The pipeline of `name` with override constants `constants` (entry point `main`). */
  get(name: ShaderName, constants?: Record<string, number>): GPUComputePipeline {
    // (a key per call: built by a loop, cheaper than JSON.stringify; the same entries in the same order give one key)
    let key: string = name;
    if (constants) for (const k in constants) key += `|${k}=${constants[k]}`;
    let p = this.cache.get(key);
    if (p) return p;
    const code = SHADERS[name];
    const dump = process.env.TE_PRINT_WGSL;
    if (dump && (dump === name || dump === 'all' || dump.split(',').includes(name))) {
      process.stderr.write(`// ---- TE_PRINT_WGSL: ${name}${constants ? ' ' + JSON.stringify(constants) : ''}\n${code}\n`);
    }
    const t0 = performance.now();
    const module = this.device.createShaderModule({ code, label: name });
    p = this.device.createComputePipeline({
      layout: this.layoutsOf(name).pipeline,
      label: name,
      compute: { module, entryPoint: 'main', ...(constants ? { constants } : {}) },
    });
    this.compileMs += performance.now() - t0;
    this.compiled++;
    this.cache.set(key, p);
    return p;
  }

  stats(): PipelineStats {
    return { compiled: this.compiled, compileMs: this.compileMs };
  }
}
