/**
 * The engine: the current backend, tensor storage ownership (reference counts), tidy scopes,
 * the gradient tape, and `runOp`, the one path by which every primitive op executes.
 * Part of src/core: imports nothing outside src/core.
 */
import type { Backend, BackendFactory, BackendName, TensorInfo } from './backend.ts';
import { type DType, type TypedArray, bytesPerElement } from './dtype.ts';
import { ArgumentError, BackendError, DisposedTensorError, ShapeError, fmtShape } from './errors.ts';
import type { AnyOpDef, AttrsOf, OpDef, TensorSpec } from './ops/op-def.ts';
import type { OpName } from './ops/op-attrs.ts';
import { type Shape, shapesEqual, sizeOf } from './shape.ts';
import { Tensor, Variable } from './tensor.ts';

/** Backend-owned buffer shared by every tensor that views it (reshape shares storage). */
export interface Storage {
  readonly backend: Backend;
  readonly handle: unknown;
  readonly dtype: DType;
  readonly size: number;
  refs: number;
}

/** A tensor kept alive by the tape for the backward pass, independent of user disposal. */
interface Saved {
  readonly id: number;
  readonly storage: Storage;
  readonly shape: Shape;
  readonly dtype: DType;
}

interface TapeNode {
  readonly def: AnyOpDef;
  readonly attrs: unknown;
  readonly inputs: readonly Saved[];
  readonly output: Saved;
}

/** Records ops whose inputs depend on watched tensors. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Ids of tensors that depend on a watched source. */
  readonly active = new Set<number>();
}

interface Scope {
  readonly tensors: Set<Tensor>;
}

type Notice = (message: string) => void;

interface BackendEntry {
  readonly factory: BackendFactory;
  readonly priority: number;
}

/** The process-wide engine. Use through the exported functions of src/core. */
export class Engine {
  private readonly factories = new Map<BackendName, BackendEntry>();
  private readonly instances = new Map<BackendName, Backend>();
  private current: Backend | null = null;
  private readonly scopes: Scope[] = [];
  private readonly tapes: Tape[] = [];
  private paused = 0;
  private nextId = 1;
  private liveTensors = 0;
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

  // ---------------------------------------------------------------- tensors and storage

  /** The id the next tensor will get (tensors with smaller ids existed before). */
  peekNextId(): number {
    return this.nextId;
  }

  /** Number of tensors (including variables) not yet disposed. */
  numTensors(): number {
    return this.liveTensors;
  }

  /** Wraps storage into a new tensor (taking one reference) tracked by the innermost scope. */
  makeTensor(storage: Storage, shape: Shape, dtype: DType, track = true): Tensor {
    storage.refs++;
    this.liveTensors++;
    const t = new Tensor(this.nextId++, shape, dtype, storage);
    if (track) this.track(t);
    return t;
  }

  /** Creates a variable (never tracked by tidy scopes) holding a copy of `init`'s storage reference. */
  makeVariable(init: Tensor, name: string, trainable: boolean): Variable {
    this.assertLive('Variable', init);
    init.storage.refs++;
    this.liveTensors++;
    return new Variable(this.nextId++, init.shape, init.dtype, init.storage, name, trainable);
  }

  /** Replaces a variable's storage with that of `value` (same shape and dtype). */
  assignVariable(v: Variable, value: Tensor): void {
    this.assertLive('assign', v);
    this.assertLive('assign', value);
    if (!shapesEqual(v.shape, value.shape) || v.dtype !== value.dtype) {
      throw new ShapeError(`assign: expected a value of shape ${fmtShape(v.shape)} and dtype ${v.dtype} for variable '${v.name}'. Received: shape=${fmtShape(value.shape)}, dtype=${value.dtype}`);
    }
    if (value.storage === v.storage) return;
    value.storage.refs++;
    this.release(v.storage);
    v.storage = value.storage;
  }

  /** Allocates storage on the current backend and uploads `values`. */
  upload(values: TypedArray, shape: Shape, dtype: DType): Tensor {
    const backend = this.backend;
    const handle = backend.alloc(dtype, values.length);
    backend.write(handle, dtype, values);
    return this.makeTensor({ backend, handle, dtype, size: values.length, refs: 0 }, shape, dtype);
  }

  /** Disposes `t` (idempotent). Its storage is freed when no tensor or tape needs it. */
  disposeTensor(t: Tensor): void {
    if (t.isDisposed) return;
    t.markDisposed();
    this.liveTensors--;
    for (const s of this.scopes) s.tensors.delete(t);
    this.release(t.storage);
  }

  private release(s: Storage): void {
    s.refs--;
    if (s.refs === 0) s.backend.free(s.handle);
  }

  assertLive(fn: string, t: Tensor): void {
    if (!(t instanceof Tensor)) {
      throw new ArgumentError(`${fn}: expected a Tensor. Received: ${describe(t)}`);
    }
    if (t.isDisposed) {
      throw new DisposedTensorError(`${fn}: expected a live tensor. Received: a disposed tensor (id ${t.id}, shape=${fmtShape(t.shape)}, dtype=${t.dtype})`);
    }
  }

  // ---------------------------------------------------------------- scopes

  /**
   * Runs `fn`; every tensor created inside and not returned (nor kept) is disposed afterwards,
   * also when `fn` throws. Returned tensors move to the enclosing scope.
   */
  tidy<T>(fn: () => T): T {
    const scope: Scope = { tensors: new Set() };
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.scopes.pop();
      for (const t of scope.tensors) this.disposeTensor(t);
      throw e;
    }
    this.scopes.pop();
    if (result instanceof Promise) {
      for (const t of scope.tensors) this.disposeTensor(t);
      throw new ArgumentError('tidy: expected a synchronous function. Received: a function returning a Promise');
    }
    const keepSet = new Set<Tensor>();
    collectTensors(result, keepSet);
    for (const t of scope.tensors) if (!keepSet.has(t)) this.disposeTensor(t);
    const parent = this.scopes[this.scopes.length - 1];
    if (parent) for (const t of keepSet) if (!t.isDisposed && !(t instanceof Variable) && !t.isKept) parent.tensors.add(t);
    return result;
  }

  /** Removes `t` from automatic disposal by enclosing tidy scopes. */
  keep<T extends Tensor>(t: T): T {
    t.markKept();
    for (const s of this.scopes) s.tensors.delete(t);
    return t;
  }

  private track(t: Tensor): void {
    const s = this.scopes[this.scopes.length - 1];
    if (s) s.tensors.add(t);
  }

  // ---------------------------------------------------------------- running ops

  /** Checks, allocates, runs the kernel, and records the op on active tapes. */
  runOp<O extends OpName | 'reshape'>(def: OpDef<O> | AnyOpDef, inputs: readonly Tensor[], attrs: AttrsOf<O>): Tensor {
    for (const t of inputs) this.assertLive(def.name, t);
    const specs: TensorSpec[] = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    const out = def.infer(specs, attrs);
    let result: Tensor;
    if (def.view) {
      result = this.makeTensor(inputs[0].storage, out.shape, out.dtype);
    } else {
      const backend = inputs.length ? inputs[0].storage.backend : this.backend;
      for (const t of inputs) {
        if (t.storage.backend !== backend) {
          throw new BackendError(`${def.name}: expected all inputs on one backend. Received: tensors on '${backend.name}' and '${t.storage.backend.name}'`);
        }
      }
      const size = sizeOf(out.shape);
      let handle: unknown;
      try {
        handle = backend.alloc(out.dtype, size);
      } catch (e) {
        // An output too large for the backend (e.g. a huge pad or oneHot depth): name the op, not the allocator.
        throw new BackendError(`${def.name}: expected an output the '${backend.name}' backend can allocate. Received: shape=${fmtShape(out.shape)} of ${out.dtype} (${size * bytesPerElement(out.dtype)} bytes): ${(e as Error).message}`);
      }
      const storage: Storage = { backend, handle, dtype: out.dtype, size, refs: 0 };
      const infos: TensorInfo[] = inputs.map((t) => ({ handle: t.storage.handle, shape: t.shape, dtype: t.dtype }));
      try {
        backend.run(def.name as OpName, infos, attrs as never, { handle, shape: out.shape, dtype: out.dtype });
      } catch (e) {
        backend.free(handle);
        throw e;
      }
      result = this.makeTensor(storage, out.shape, out.dtype);
    }
    if (this.tapes.length && this.paused === 0) this.record(def, inputs, attrs, result);
    return result;
  }

  // ---------------------------------------------------------------- gradient tape

  private record(def: AnyOpDef, inputs: readonly Tensor[], attrs: unknown, output: Tensor): void {
    for (const tape of this.tapes) {
      if (!inputs.some((t) => tape.active.has(t.id))) continue;
      if (!def.grad || output.dtype !== 'float32') continue;
      tape.active.add(output.id);
      tape.nodes.push({ def, attrs, inputs: inputs.map((t) => this.save(t)), output: this.save(output) });
    }
  }

  private save(t: Tensor): Saved {
    t.storage.refs++;
    return { id: t.id, storage: t.storage, shape: t.shape, dtype: t.dtype };
  }

  /** Runs `fn` without recording anything on gradient tapes (its results are constants). */
  noGrad<T>(fn: () => T): T {
    this.paused++;
    try {
      return fn();
    } finally {
      this.paused--;
    }
  }

  /** Starts recording ops that depend on `sources`. */
  pushTape(sources: readonly Tensor[]): Tape {
    const tape = new Tape();
    for (const s of sources) tape.active.add(s.id);
    this.tapes.push(tape);
    return tape;
  }

  /** Stops recording on `tape` (which must be the innermost). */
  popTape(tape: Tape): void {
    const top = this.tapes.pop();
    if (top !== tape) throw new Error('engine: gradient tapes closed out of order');
  }

  /** Releases the storage the tape kept alive. */
  releaseTape(tape: Tape): void {
    for (const n of tape.nodes) {
      for (const s of n.inputs) this.release(s.storage);
      this.release(n.output.storage);
    }
    tape.nodes.length = 0;
  }

  /**
   * Reverse-mode pass: gradients of `output` (seeded with `dy`) with respect to `sources`.
   * Nodes run in reverse recording order and contributions to a tensor used several times are
   * summed in that order: the result is a pure function of the program. Sources the output does
   * not depend on get zeros.
   */
  backprop(tape: Tape, output: Tensor, dy: Tensor, sources: readonly Tensor[], zerosLike: (t: Tensor) => Tensor, add: (a: Tensor, b: Tensor) => Tensor): Tensor[] {
    const grads = new Map<number, Tensor>();
    grads.set(output.id, dy);
    for (let i = tape.nodes.length - 1; i >= 0; i--) {
      const node = tape.nodes[i];
      const g = grads.get(node.output.id);
      if (!g || !node.def.grad) continue;
      const inputs = node.inputs.map((s) => this.makeTensor(s.storage, s.shape, s.dtype));
      const out = this.makeTensor(node.output.storage, node.output.shape, node.output.dtype);
      const needs = node.inputs.map((s) => tape.active.has(s.id));
      const inGrads = node.def.grad(g, { inputs, output: out, attrs: node.attrs as never, needs });
      for (let k = 0; k < node.inputs.length; k++) {
        const gi = inGrads[k];
        const src = node.inputs[k];
        if (!gi || !tape.active.has(src.id)) continue;
        if (!shapesEqual(gi.shape, src.shape)) {
          throw new ShapeError(`${node.def.name}: gradient has shape ${fmtShape(gi.shape)} but its input has shape ${fmtShape(src.shape)} (engine bug)`);
        }
        const prev = grads.get(src.id);
        grads.set(src.id, prev ? add(prev, gi) : gi);
      }
    }
    // Each source gets its own tensor, even when two gradients are the same object (dy passed through).
    const handedOut = new Set<Tensor>();
    return sources.map((s) => {
      const g = grads.get(s.id);
      if (!g) return zerosLike(s);
      if (handedOut.has(g)) return g.clone();
      handedOut.add(g);
      return g;
    });
  }
}

/** Adds every tensor found in a (nested) result value to `into`. */
function collectTensors(v: unknown, into: Set<Tensor>, depth = 0): void {
  if (v instanceof Tensor) {
    into.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collectTensors(x, into, depth + 1);
  } else if (v && typeof v === 'object' && depth < 8 && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) collectTensors(x, into, depth + 1);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object of type ${(v as object).constructor?.name ?? 'Object'}`;
  return `${typeof v} ${String(v)}`;
}

/** Bytes held by storage of `dtype` and `size`. */
export function storageBytes(dtype: DType, size: number): number {
  return size * bytesPerElement(dtype);
}

/** The process-wide engine instance. */
export const ENGINE = new Engine();
