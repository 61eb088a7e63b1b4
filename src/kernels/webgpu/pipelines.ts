/**
 * Compute pipelines, compiled once per device and cached by shader name + override constants
 * (tfjs's `shaderKey`). Compilation on lavapipe costs 0.3-4 s per pipeline, so shapes travel in
 * uniforms, never in overrides, and the set of shaders is small. `TE_PRINT_WGSL=<name>` (or
 * `all`) prints a shader's full source to stderr when it is compiled.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { SHADERS, type ShaderName } from './shaders.gen.ts';

export interface PipelineStats {
  compiled: number;
  /** Milliseconds spent in pipeline creation. */
  compileMs: number;
}

/** The pipeline cache of one device. */
export class PipelineCache {
  private readonly cache = new Map<string, GPUComputePipeline>();
  private compiled = 0;
  private compileMs = 0;

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline of `name` with override constants `constants` (entry point `main`). */
  get(name: ShaderName, constants?: Record<string, number>): GPUComputePipeline {
    const key = constants ? `${name}|${JSON.stringify(constants)}` : name;
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
      layout: 'auto',
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
