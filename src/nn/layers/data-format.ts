/**
 * The `dataFormat` option of the image layers: ditto's layers are NHWC, so only Keras's
 * 'channels_last' (the default) is accepted; 'channels_first' is refused with a clear error.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';

/** Keras's `data_format`: only 'channels_last' (NHWC) is supported. */
export type DataFormat = 'channels_last';

/** Returns 'channels_last' for undefined or 'channels_last'; throws otherwise. */
export function checkDataFormat(cls: string, v: unknown): DataFormat {
  if (v === undefined || v === 'channels_last') return 'channels_last';
  throw new ArgumentError(`${cls}: expected dataFormat 'channels_last' (layers are NHWC; 'channels_first' is not supported). Received: dataFormat=${JSON.stringify(v) ?? String(v)}`);
}
