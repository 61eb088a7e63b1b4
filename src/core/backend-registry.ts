/**
 * The backend registry: backends made available by name (with a priority), created on first use,
 * and the selection of the current one: explicit (`setBackend`), automatic (`ready()`: the
 * available one of highest priority), or a synchronous fallback to the CPU on first use. It says
 * once which backend it picked. Knows nothing of tensors.
 * Part of src/core: imports nothing outside src/core.
 */
import type { Backend, BackendFactory, BackendName } from './backend.ts';
import { BackendError } from './errors.ts';

type Notice = (message: string) => void;

interface BackendEntry {
  readonly factory: BackendFactory;
  readonly priority: number;
}

/** Backends by name and the one in use. The process has one, {@link BACKENDS}; tests make their own. */
export class BackendRegistry {
  private readonly factories = new Map<BackendName, BackendEntry>();
  private readonly instances = new Map<BackendName, Backend>();
  private current: Backend | null = null;
  private announced = false;
  notice: Notice = (m) => console.warn(m);

  /** Makes a backend available by name. Higher priority wins automatic selection. */
  registerBackend(name: BackendName, factory: BackendFactory, priority: number): void {
    this.factories.set(name, { factory, priority });
  }

  registeredBackends(): BackendName[] {
    return [...this.factories.keys()];
  }

  /** Selects the backend `name`, creating it on first use. Throws a BackendError if unavailable. */
  async setBackend(name: BackendName): Promise<void> {
    const b = await this.instantiate(name, false);
    if (typeof b === 'string') throw new BackendError(`setBackend: backend '${name}' is not available: ${b}`);
    this.current = b;
    this.announced = true;
  }

  /**
   * Picks a backend if none was chosen: the available one of highest priority (WebGPU when an
   * adapter exists, else CPU), and says once which one it picked.
   */
  async ready(): Promise<Backend> {
    if (this.current) return this.current;
    const order = [...this.factories.entries()].sort((a, b) => b[1].priority - a[1].priority);
    const reasons: string[] = [];
    for (const [name] of order) {
      const b = await this.instantiate(name, true);
      if (typeof b === 'string') {
        reasons.push(`${name}: ${b}`);
        continue;
      }
      this.current = b;
      this.announce(reasons.length ? ` (${reasons.join('; ')})` : '');
      return b;
    }
    throw new BackendError(`ready: no backend is available. ${reasons.join('; ')}`);
  }

  /** The current backend; a synchronous first use without `ready()` falls back to the CPU. */
  get backend(): Backend {
    if (this.current) return this.current;
    const cpu = this.instances.get('cpu') ?? this.createSync('cpu');
    this.current = cpu;
    this.announce(' (chosen synchronously; call `await dt.ready()` or `await dt.setBackend(...)` first to allow WebGPU)');
    return cpu;
  }

  /** The current backend's name, selecting one as `backend` does. */
  backendName(): BackendName {
    return this.backend.name;
  }

  /** The backend `name` if it was already created. */
  peekBackend(name: BackendName): Backend | undefined {
    return this.instances.get(name);
  }

  /** Disposes every created backend (closing devices so the process can exit). */
  async shutdown(): Promise<void> {
    for (const b of this.instances.values()) await b.dispose();
    this.instances.clear();
    this.current = null;
    this.announced = false;
  }

  private announce(detail: string): void {
    if (this.announced || !this.current) return;
    this.announced = true;
    this.notice(`ditto: using backend '${this.current.name}' [${this.current.description}]${detail}`);
  }

  private async instantiate(name: BackendName, automatic: boolean): Promise<Backend | string> {
    const have = this.instances.get(name);
    if (have) return have;
    const entry = this.factories.get(name);
    if (!entry) return `no backend named '${name}' is registered`;
    let made: Backend | { unavailable: string };
    try {
      made = await entry.factory({ automatic });
    } catch (e) {
      return (e as Error).message;
    }
    if ('unavailable' in made) return made.unavailable;
    this.instances.set(name, made);
    return made;
  }

  private createSync(name: BackendName): Backend {
    const entry = this.factories.get(name);
    if (!entry) throw new BackendError(`engine: no backend named '${name}' is registered`);
    const made = entry.factory({ automatic: true });
    if (made instanceof Promise || 'unavailable' in made) {
      throw new BackendError(`engine: backend '${name}' cannot be created synchronously; call \`await dt.ready()\` first`);
    }
    this.instances.set(name, made);
    return made;
  }
}

/** The process-wide backend registry (the composition root registers the CPU and WebGPU backends). */
export const BACKENDS = new BackendRegistry();

/** Registers a backend factory under `name`; automatic selection prefers the highest `priority` that is available. */
export function registerBackend(name: BackendName, factory: BackendFactory, priority: number): void {
  BACKENDS.registerBackend(name, factory, priority);
}

/** The backend object currently in use (its buffers, `run`, `sync`, adapter details). */
export function currentBackend(): Backend {
  return BACKENDS.backend;
}
