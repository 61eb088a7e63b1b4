/**
 * A checkpoint's `manifest.json`: the SHA-256 and byte length of every other file. It is written
 * last, so a checkpoint directory without a valid manifest is incomplete by definition, and a file
 * whose bytes do not match their entry is corrupt.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { createHash } from 'node:crypto';
import { DataFormatError } from '../../core/internal.ts';
import { CHECKPOINT_VERSION, PAYLOAD_FILES } from './layout.ts';

export const MANIFEST_FORMAT = 'ditto-checkpoint-manifest';

export interface FileEntry {
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  globalStep: number;
  files: Record<string, FileEntry>;
}

/** SHA-256 of `bytes` as 64 hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest text for `files` (name -> bytes), names sorted: same files, same bytes. */
export function encodeManifest(globalStep: number, files: Record<string, Uint8Array>): string {
  const entries: Record<string, FileEntry> = {};
  for (const name of Object.keys(files).sort()) entries[name] = { bytes: files[name].length, sha256: sha256Hex(files[name]) };
  const m: Manifest = { format: MANIFEST_FORMAT, version: CHECKPOINT_VERSION, globalStep, files: entries };
  return JSON.stringify(m, null, 2) + '\n';
}

/** Parses manifest text; `source` names the file in errors. */
export function parseManifest(text: string, source: string): Manifest {
  const fail = (what: string): never => {
    throw new DataFormatError(`readCheckpoint: ${source}: ${what}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(`expected manifest.json to be JSON. Received: invalid JSON (${(e as Error).message}; truncated?)`);
  }
  const m = raw as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== MANIFEST_FORMAT) fail(`expected a manifest with format '${MANIFEST_FORMAT}'. Received: ${JSON.stringify((m as { format?: unknown } | null)?.format)}`);
  if (m!.version !== CHECKPOINT_VERSION) fail(`expected manifest version ${CHECKPOINT_VERSION}. Received: ${JSON.stringify(m!.version)}`);
  if (!Number.isSafeInteger(m!.globalStep) || m!.globalStep! < 0) fail(`expected manifest globalStep to be a non-negative integer. Received: ${JSON.stringify(m!.globalStep)}`);
  const files = m!.files;
  if (!files || typeof files !== 'object') fail('expected manifest.files to be an object');
  for (const name of PAYLOAD_FILES) {
    const e = files![name];
    if (!e || !Number.isSafeInteger(e.bytes) || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      fail(`expected manifest.files['${name}'] = { bytes, sha256 }. Received: ${JSON.stringify(e)}`);
    }
  }
  const extra = Object.keys(files!).filter((k) => !(PAYLOAD_FILES as readonly string[]).includes(k));
  if (extra.length) fail(`expected manifest.files to list only ${PAYLOAD_FILES.join(', ')}. Received: also ${extra.join(', ')}`);
  return m as Manifest;
}

/** Throws unless `bytes` (the content of `name`) match the manifest entry. */
export function checkFile(m: Manifest, name: string, bytes: Uint8Array, source: string): void {
  const e = m.files[name];
  if (bytes.length !== e.bytes) {
    throw new DataFormatError(`readCheckpoint: ${source}: ${name}: expected ${e.bytes} bytes (manifest). Received: ${bytes.length} bytes (truncated or overwritten)`);
  }
  const got = sha256Hex(bytes);
  if (got !== e.sha256) {
    throw new DataFormatError(`readCheckpoint: ${source}: ${name}: checksum mismatch: expected SHA-256 ${e.sha256} (manifest). Received: ${got} (corrupt file)`);
  }
}
