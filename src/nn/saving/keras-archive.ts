/**
 * The `.keras` archive of Keras 3 (keras/src/saving/saving_lib.py): a zip with, in this order,
 * `metadata.json` ({"keras_version", "date_saved": "YYYY-MM-DD@HH:MM:SS"}), `config.json` (the
 * model's serialized config) and `model.weights.h5` (the weights, see weights-h5.ts), all stored.
 * This module handles the bytes only: it takes and returns the config as a JSON object; turning a
 * config into a model and back is the config layer's job.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError } from '../../core/internal.ts';
import { type H5Group, readHdf5 } from './hdf5.ts';
import { readZip, writeZip } from './zip.ts';

/** The Keras version whose `.keras` layout ditto writes (recorded as `keras_version` in metadata.json). */
export const KERAS_FORMAT_VERSION = '3.14.0';

/** What {@link readKerasArchive} returns. */
export interface KerasArchive {
  /** metadata.json ({} when the archive has none). */
  metadata: Record<string, unknown>;
  /** config.json, parsed. */
  config: Record<string, unknown>;
  /** model.weights.h5, read. */
  weights: H5Group;
}

function parseJson(source: string, entry: string, bytes: Uint8Array): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new DataFormatError(`${source}: ${entry} is not valid JSON (${(e as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DataFormatError(`${source}: expected ${entry} to hold a JSON object. Received: ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  return v as Record<string, unknown>;
}

/**
 * Reads a `.keras` archive: its metadata, config and weights. `source` names it in errors.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming the file and the entry: not a zip, no
 * config.json, a config that is not JSON, no model.weights.h5 (a `.npz` weights store is refused by name), weights
 * that are not readable HDF5.
 */
export async function readKerasArchive(bytes: Uint8Array, source: string): Promise<KerasArchive> {
  const entries = readZip(bytes, source, (n) => n === 'metadata.json' || n === 'config.json' || n === 'model.weights.h5' || n === 'model.weights.npz');
  const config = entries.get('config.json');
  if (!config) throw new DataFormatError(`${source}: expected a .keras archive with config.json. Received: a zip archive without config.json`);
  const meta = entries.get('metadata.json');
  const metadata = meta ? parseJson(source, 'metadata.json', meta) : {};
  const cfg = parseJson(source, 'config.json', config);
  const h5 = entries.get('model.weights.h5');
  if (!h5) {
    const why = entries.has('model.weights.npz') ? 'the npz weights format (saved with weights_format="npz"), which ditto does not read' : 'no weights';
    throw new DataFormatError(`${source}: expected model.weights.h5 in the archive. Received: ${why}`);
  }
  return { metadata, config: cfg, weights: await readHdf5(h5, `${source}!model.weights.h5`) };
}

/** Keras's date format: "2026-04-16@18:38:42" (local time, as Python's datetime.now()). */
export function kerasDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * A `.keras` archive from a config object and the bytes of model.weights.h5 (entries stored, in Keras's order),
 * dated `date` (default now).
 */
export function writeKerasArchive(config: Record<string, unknown>, weightsH5: Uint8Array, date = new Date()): Uint8Array {
  const enc = new TextEncoder();
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: kerasDate(date) };
  return writeZip(
    [
      ['metadata.json', enc.encode(JSON.stringify(metadata))],
      ['config.json', enc.encode(JSON.stringify(config))],
      ['model.weights.h5', weightsH5],
    ],
    date,
  );
}
