/**
 * The TensorFlow.js 4.22 peers, configured as a user would: `@tensorflow/tfjs-core` +
 * `@tensorflow/tfjs-layers` with either the `wasm` backend (XNNPACK; the SIMD binary when
 * WebAssembly SIMD validates, which it does on Node 20) or the stock pure-JS `cpu` backend.
 *
 * Stock tfjs-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so it cannot train a conv net
 * ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). We register one built
 * from the backend's own forward convolution:
 *   dW[kh,kw,c,f] = sum_{n,oh,ow} xpad[n, oh*s+kh, ow*s+kw, c] * dy[n,oh,ow,f]
 * is a convolution of x^T (channels <-> batch: [C, H, W, N]) with dy^T as the filter
 * ([outH, outW, N, F]), dilated by the forward stride, giving [C, kH, kW, F], transposed back
 * to [kH, kW, C, F]. That is transpose -> conv2d (XNNPACK) -> transpose, plus a pad for 'same'.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

export { tf };

const require = createRequire(import.meta.url);

export type TfjsBackendName = 'wasm' | 'cpu';

export interface TfjsInfo {
  backend: string;
  version: string;
  /** The .wasm binary the backend loaded (wasm only). */
  wasmBinary?: string;
  simd?: boolean;
  threads?: number;
  conv2dBackpropFilter?: string;
}

function pkgVersion(name: string): string {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

/** The wasm files shipped in the package (no download: npm here runs no install scripts). */
export function wasmDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/** Selects and initializes a tfjs backend; returns what was loaded. */
export async function setupTfjs(name: TfjsBackendName): Promise<TfjsInfo> {
  const info: TfjsInfo = { backend: name, version: tf.version_core };
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    info.version = `core ${tf.version_core}, backend-cpu ${pkgVersion('@tensorflow/tfjs-backend-cpu')}`;
  } else {
    // Record which .wasm file Emscripten reads (it uses fs.readFileSync on Node).
    const loaded: string[] = [];
    const orig = fs.readFileSync;
    (fs as { readFileSync: typeof fs.readFileSync }).readFileSync = ((p: unknown, ...rest: unknown[]) => {
      if (typeof p === 'string' && p.endsWith('.wasm')) loaded.push(p);
      return (orig as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.readFileSync;
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(wasmDir());
      registerConv2DBackpropFilterForWasm();
      if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
      await tf.ready();
    } finally {
      (fs as { readFileSync: typeof fs.readFileSync }).readFileSync = orig;
    }
    info.version = `core ${tf.version_core}, backend-wasm ${pkgVersion('@tensorflow/tfjs-backend-wasm')}`;
    info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const b = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
    info.threads = b.wasm?.tfjs?.getThreadsCount?.();
    info.wasmBinary = loaded.map((p) => p.split('/').pop()).join(', ') || 'unknown';
    info.conv2dBackpropFilter = 'registered by the bench: pad -> transpose -> conv2d (XNNPACK) -> transpose';
  }
  if (name === 'cpu' && !(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") returned false');
  await tf.ready();
  info.backend = tf.getBackend();
  return info;
}

let registered = false;

/** Registers Conv2DBackpropFilter for the wasm backend (see the file comment). */
export function registerConv2DBackpropFilterForWasm(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const a = attrs as unknown as {
        strides: number | [number, number]; pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
        dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
      };
      if (a.dataFormat !== undefined && a.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (bench kernel): only NHWC. Received: ${a.dataFormat}`);
      const info = tf.backend_util.computeConv2DInfo(x.shape, a.filterShape, a.strides, 1, a.pad as 'valid', a.dimRoundingMode, false, 'channelsLast');
      const { top, bottom, left, right } = info.padInfo;
      const [kH, kW] = [info.filterHeight, info.filterWidth];
      return tf.tidy(() => {
        const xp = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
        const xt = tf.transpose(xp, [3, 1, 2, 0]); // [C, H, W, N]
        const dyt = tf.transpose(dy, [1, 2, 0, 3]); // [outH, outW, N, F]
        const dil: [number, number] = [info.strideHeight, info.strideWidth];
        let r = tf.conv2d(xt, dyt, 1, 'valid', 'NHWC', dil); // [C, >=kH, >=kW, F]
        if (r.shape[1] !== kH || r.shape[2] !== kW) r = tf.slice(r, [0, 0, 0, 0], [-1, kH, kW, -1]);
        return tf.transpose(r, [1, 2, 0, 3]);
      }) as unknown as tf.TensorInfo;
    },
  });
}
