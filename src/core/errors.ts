/**
 * Error classes of the engine. Every message starts with the function or layer name,
 * says what was expected and what was received (Keras style: "... Received: x.shape=[2, 3]").
 * Part of src/core: imports nothing.
 */

/** Base class of every error the engine raises on purpose. */
export class TensorEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor has the wrong rank or shape, or shapes do not broadcast. */
export class ShapeError extends TensorEngineError {}

/** A tensor or argument has the wrong dtype. */
export class DTypeError extends TensorEngineError {}

/** A non-tensor argument is invalid (wrong type, out of range, unknown name). */
export class ArgumentError extends TensorEngineError {}

/** A tensor was used after dispose(). */
export class DisposedTensorError extends TensorEngineError {}

/** An op has no kernel on the given backend. */
export class UnsupportedOpError extends TensorEngineError {
  constructor(
    /** The op's name. */
    readonly op: string,
    /** The backend's name. */
    readonly device: string,
    detail = '',
  ) {
    super(`${op}: no kernel for backend '${device}'.${detail ? ' ' + detail : ''}`);
  }
}

/** A backend failed or its device was lost. */
export class BackendError extends TensorEngineError {}

/** Data on disk or in memory is malformed (corrupt file, bad header, checksum mismatch). */
export class DataFormatError extends TensorEngineError {}

/** A training run produced a NaN or infinite value, or another numeric invariant failed. */
export class NumericError extends TensorEngineError {}

/**
 * An allocation does not fit the memory budget (`dt.config.setMemoryLimit`; default half the machine's memory) or
 * the backend's largest buffer. Nothing was allocated or counted: the engine carries on normally. It has the op's
 * name, the shape and the bytes asked for.
 */
export class ResourceExhaustedError extends TensorEngineError {
  constructor(
    message: string,
    /** The op (or function) that asked for the memory. */
    readonly op: string,
    /** The shape of the tensor it would have allocated. */
    readonly shape: readonly number[],
    /** The bytes it asked for. */
    readonly bytes: number,
  ) {
    super(message);
  }
}

/** Formats a shape for error messages: [2, 3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
