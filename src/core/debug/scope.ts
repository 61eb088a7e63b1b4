/**
 * The scope stack that op traces name: layers push their name while they run (`sequential/conv2d_1`), and the
 * gradient pass runs each op's gradient under the scope its forward op ran under, with the phase 'gradient'. Pushing
 * and popping are a few array operations; nothing reads the stack unless a trace is recording.
 * Part of src/core: imports nothing outside src/core.
 */

/** Whether an op ran in the forward computation or in a gradient (backprop). */
export type TracePhase = 'forward' | 'gradient';

const stack: string[] = [];
/** Who pushed each entry of `stack` (a layer or model; null for plain names). */
const owners: (object | null)[] = [];
let phase: TracePhase = 'forward';
/** The forward op whose gradient is running ('' outside backprop). */
let gradientOf = '';

/**
 * Runs `fn` with `name` pushed on the scope stack (a layer's name, 'loss', 'optimizer', ...). With an `owner` (the
 * layer or model), nothing is pushed when the innermost entry is already that owner's: a model's `apply` and the
 * `applyWithMask` it reaches through `call` both scope it, once.
 */
export function withScope<T>(name: string, fn: () => T, owner: object | null = null): T {
  if (owner !== null && owners.length > 0 && owners[owners.length - 1] === owner) return fn();
  stack.push(name);
  owners.push(owner);
  try {
    return fn();
  } finally {
    stack.pop();
    owners.pop();
  }
}

let side = '';

/**
 * Runs `fn` as a side stream named `name`: ops that only some backends run (such as the label checks that WebGPU
 * defers to the device) are traced in their own stream, so that they do not shift the alignment of the ops every
 * backend runs. Diffs compare side streams where both runs have them.
 */
export function withSideStream<T>(name: string, fn: () => T): T {
  const saved = side;
  side = saved ? `${saved}/${name}` : name;
  try {
    return fn();
  } finally {
    side = saved;
  }
}

/** The current side stream ('' in the main stream). */
export function currentSideStream(): string {
  return side;
}

/** The current scope path, e.g. 'sequential/conv2d_1' ('' at top level). */
export function currentScope(): string {
  return stack.join('/');
}

/** The current phase and, in a gradient, the forward op it differentiates. */
export function currentPhase(): { phase: TracePhase; of: string } {
  return { phase, of: gradientOf };
}

/**
 * Runs `fn` (one op's gradient) in the scope `scope` (the forward op's, recorded on the tape) with the phase
 * 'gradient'; `of` names the forward op. The previous stack and phase are restored afterwards.
 */
export function withGradientScope<T>(scope: string, of: string, fn: () => T): T {
  const saved = stack.splice(0, stack.length);
  const savedOwners = owners.splice(0, owners.length);
  const [p, o] = [phase, gradientOf];
  if (scope) {
    stack.push(scope);
    owners.push(null);
  }
  phase = 'gradient';
  gradientOf = of;
  try {
    return fn();
  } finally {
    stack.length = 0;
    stack.push(...saved);
    owners.length = 0;
    owners.push(...savedOwners);
    phase = p;
    gradientOf = o;
  }
}
