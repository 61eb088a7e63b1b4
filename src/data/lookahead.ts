/**
 * The asynchronous stages: `map` (with up to N calls in flight) and `prefetch` (up to N elements
 * prepared ahead of the consumer). Both are a window of results kept strictly in input order.
 * Part of src/data: imports src/core only.
 *
 * determinism: the upstream is pulled one element at a time, in order (each pull starts after the
 * previous one resolved), and results are handed out in input order whatever order they complete
 * in; the window depth and timing change only *when* work runs, never which element comes next.
 * Scheduling: the element the consumer asks for is started at once; the elements ahead of it are
 * started from a `setImmediate` callback, i.e. while the consumer waits (on a device readback, a
 * timer, I/O), never ahead of the consumer's own next step.
 */
import { ArgumentError, type Tensor, clone, peekNextId, tidy } from '../core/internal.ts';
import type { Node, Stream } from './nodes.ts';
import { disposeConsumed, disposeElement, keepElement, mapTensors, tensorsIn } from './structure.ts';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A stream over `up` that prepares up to `depth` transformed elements ahead of the consumer, with at
 * most `depth` transforms running at once (the one the consumer awaits included). depth 0: work
 * only on request.
 */
export class Lookahead<T, U> implements Stream<U> {
  private readonly window: Promise<IteratorResult<U, undefined>>[] = [];
  private pullChain: Promise<unknown> = Promise.resolve();
  private exhausted = false;
  private closed = false;
  private topUpScheduled = false;
  /** Launched results not yet settled, including those handed to the consumer. */
  private running = 0;

  constructor(private readonly up: Stream<T>, private readonly depth: number, private readonly transform: (x: T) => U | Promise<U>) {}

  private launch(): void {
    const pulled: Promise<IteratorResult<T, undefined>> = this.pullChain.then(() => (this.exhausted || this.closed ? DONE : this.up.next()));
    this.pullChain = pulled.then(
      (r) => { if (r.done) this.exhausted = true; },
      () => { this.exhausted = true; },
    );
    const result = pulled.then(async (r): Promise<IteratorResult<U, undefined>> => (r.done ? DONE : { done: false, value: await this.transform(r.value) }));
    this.running++;
    // Rejections are delivered to the consumer in order (not reported as unhandled); a settled
    // call frees a slot for the next one.
    result.then(undefined, () => undefined).then(() => {
      this.running--;
      this.scheduleTopUp();
    });
    this.window.push(result);
  }

  private scheduleTopUp(): void {
    if (this.depth <= 0 || this.topUpScheduled || this.closed || this.exhausted) return;
    this.topUpScheduled = true;
    setImmediate(() => {
      this.topUpScheduled = false;
      while (!this.closed && !this.exhausted && this.window.length < this.depth && this.running < this.depth) this.launch();
    });
  }

  next(): Promise<IteratorResult<U, undefined>> {
    if (this.closed) return Promise.resolve(DONE);
    if (this.window.length === 0) this.launch();
    const head = this.window.shift() as Promise<IteratorResult<U, undefined>>;
    this.scheduleTopUp();
    return head;
  }

  /** Stops: waits for work in flight, disposes results nobody will receive, closes the upstream. */
  async return(): Promise<undefined> {
    if (this.closed) return undefined;
    this.closed = true;
    const pending = this.window.splice(0);
    for (const s of await Promise.allSettled(pending)) if (s.status === 'fulfilled' && !s.value.done) disposeElement(s.value.value);
    await this.pullChain;
    await this.up.return();
    return undefined;
  }
}

/** A map function: receives an array element spread as arguments (tf.data), anything else as one. */
export type MapFn<T, U> = (...args: T extends readonly unknown[] ? T : [T]) => U | Promise<U>;

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}

/**
 * One map call on one element. A synchronous fn runs inside `tidy` (its temporaries are freed);
 * an `async` fn manages its own temporaries. Input tensors not returned by fn are disposed. A tensor fn returns
 * that existed before the call and is not one of the element's (a tensor of the user's, captured by fn) is
 * replaced by a copy: elements belong to their consumer, who disposes them, and the user's tensor stays alive.
 */
export function mapCall<T, U>(fn: MapFn<T, U>, element: T): U | Promise<U> {
  const args: unknown[] = Array.isArray(element) ? element : [element];
  const call = fn as (...a: unknown[]) => U | Promise<U>;
  const firstId = peekNextId();
  const finish = (ret: U): U => {
    if (ret === undefined) {
      disposeElement(element);
      throw new ArgumentError('Dataset.map: expected fn to return the new element (a tensor or a structure of tensors such as [x, y]). Received: undefined (a missing `return`?)');
    }
    const inputs = tensorsIn(element);
    const external = (t: Tensor) => t.id < firstId && !inputs.has(t);
    const out = [...tensorsIn(ret)].some(external) ? (mapTensors(ret, (t) => (external(t) ? clone(t) : t)) as U) : ret;
    disposeConsumed(element, out);
    return keepElement(out);
  };
  const fail = (e: unknown): never => {
    disposeElement(element);
    throw e;
  };
  if (isAsyncFunction(fn)) {
    try {
      return (call(...args) as Promise<U>).then(finish, fail);
    } catch (e) {
      return fail(e);
    }
  }
  let out: U;
  try {
    out = tidy(() => {
      const r = call(...args);
      if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
        (r as Promise<U>).then(undefined, () => undefined);
        throw new ArgumentError('Dataset.map: expected fn to return its result synchronously, or to be declared `async`. Received: a non-async function returning a Promise');
      }
      return r as U;
    });
  } catch (e) {
    return fail(e);
  }
  return finish(out);
}

/** `map(fn, { numParallelCalls })`: depth 0 = sequential (no work ahead of the consumer). */
export function mapNode<T, U>(parent: Node<T>, fn: MapFn<T, U>, parallel: number): Node<U> {
  return {
    cardinality: parent.cardinality,
    open: (e, s) => new Lookahead<T, U>(parent.open(e, s), parallel, (x) => mapCall(fn, x)),
    release: () => parent.release(),
  };
}

/** `prefetch(n)`: up to n elements prepared ahead of the consumer; 0 passes through. */
export function prefetchNode<T>(parent: Node<T>, depth: number): Node<T> {
  if (depth === 0) return parent;
  return {
    cardinality: parent.cardinality,
    open: (e, s) => new Lookahead<T, T>(parent.open(e, s), depth, (x) => x),
    release: () => parent.release(),
  };
}
