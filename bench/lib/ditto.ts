/**
 * Sets ditto up for one benchmark configuration: the backend, and the CPU thread count through
 * the public `dt.config.setNumThreads` (also set as DITTO_THREADS in the child's environment).
 * If the running ditto has no thread control, the thread count is reported as unsupported.
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';

export { dt, adv };

export interface DittoInfo {
  backend: string;
  description: string;
  /** Threads the CPU backend reports using, or a note why it cannot be set. */
  threads?: number | string;
}

export async function setupDitto(backend: 'cpu' | 'webgpu', threads?: number): Promise<DittoInfo> {
  const info: DittoInfo = { backend, description: '' };
  if (backend === 'cpu') {
    const cfg = dt.config as { setNumThreads?: (n: number) => void; getNumThreads?: () => number };
    if (threads !== undefined) {
      if (typeof cfg.setNumThreads !== 'function') info.threads = 'unsupported (no dt.config.setNumThreads)';
      else {
        cfg.setNumThreads(threads);
        info.threads = cfg.getNumThreads?.() ?? threads;
      }
    }
  }
  await dt.setBackend(backend);
  if (dt.getBackend() !== backend) throw new Error(`dt.setBackend('${backend}') left the backend at '${dt.getBackend()}'`);
  info.description = dt.getBackendInfo().description;
  return info;
}
