/**
 * HDF5 bytes in and out, through h5wasm (the HDF5 C library compiled to WebAssembly): no HDF5 parser
 * of our own. h5wasm works on Emscripten's virtual file system; ditto uses its in-memory file system
 * only: reading writes the caller's bytes to a fresh virtual file, opens it with the C library and
 * copies the whole tree (groups, attributes, datasets) into plain JavaScript objects, then closes and
 * deletes the virtual file; writing builds a virtual file from such objects and returns its bytes. The
 * same path therefore serves a file on disk and an HDF5 file inside a zip archive (`.keras`), and the
 * disk I/O stays ours (crash-safe writes). h5wasm's throwing error handler turns HDF5's error stack
 * into exceptions (nothing printed); a failure becomes a DataFormatError naming the source and the
 * innermost HDF5 reason ("truncated file: eof = ...").
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError } from '../../core/internal.ts';

/** The HDF5 element types ditto reads and writes (h5wasm's dtype codes: little-endian float32, float64, int32, int64). */
export type H5DType = '<f' | '<d' | '<i' | '<q';

/** A dataset read from or written to HDF5. */
export interface H5Dataset {
  /** Marks a dataset (groups have `children`). */
  kind: 'dataset';
  /** Row-major shape ([] for a scalar). */
  shape: number[];
  /** The element type, or the h5wasm dtype text of a type ditto does not convert (e.g. '<e', 'S'). */
  dtype: H5DType | string;
  /** The values; undefined for a type ditto does not convert. */
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | undefined;
  /** The dataset's attributes. */
  attrs: Record<string, H5Attr>;
}

/**
 * An attribute value: a string, a list of strings, or numbers (h5py writes an empty list of names as an empty
 * float64 array, read here as []).
 */
export type H5Attr = string | number | readonly (string | number)[];

/** A group: attributes and named children. */
export interface H5Group {
  /** Marks a group. */
  kind: 'group';
  /** The group's attributes. */
  attrs: Record<string, H5Attr>;
  /** Sub-groups and datasets by name (a Map: names such as `__proto__` are ordinary keys). */
  children: Map<string, H5Group | H5Dataset>;
}

type H5Module = typeof import('h5wasm');
let loading: Promise<H5Module> | undefined;
let fileCounter = 0;

/** h5wasm, loaded on first use (the WebAssembly module is compiled once per process). */
async function h5(): Promise<H5Module> {
  loading ??= import('h5wasm').then(async (m) => {
    const mod = await m.default.ready;
    mod.activate_throwing_error_handler();
    return m;
  });
  return loading;
}

/** "truncated file: eof = 10, ..." from an HDF5 error stack: the reason of its innermost entry. */
function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const reasons = [...text.matchAll(/#\d+: .* in \w+\(\): (.*)/g)].map((m) => m[1].trim());
  return reasons.length ? reasons[reasons.length - 1] : text.split('\n')[0];
}

/** A fresh name in the virtual file system. */
function virtualName(): string {
  return `/ditto-${process.pid}-${++fileCounter}.h5`;
}

/**
 * Reads a whole HDF5 file from bytes into plain objects. `source` (a path, or "x.keras!model.weights.h5") names
 * the file in errors.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} when the bytes are not a readable HDF5 file (not HDF5,
 * truncated, corrupt).
 */
export async function readHdf5(bytes: Uint8Array, source: string): Promise<H5Group> {
  const m = await h5();
  const { FS } = await m.default.ready;
  const name = virtualName();
  FS.writeFile(name, bytes);
  let file: InstanceType<H5Module['File']> | undefined;
  try {
    file = new m.File(name, 'r');
    return readGroup(m, file);
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    throw new DataFormatError(`${source}: expected a readable HDF5 file. Received: ${bytes.length} bytes that HDF5 cannot read (${hdf5Reason(e)})`);
  } finally {
    try {
      file?.close();
    } finally {
      FS.unlink(name);
    }
  }
}

function readAttrs(obj: { attrs: Record<string, { json_value: unknown }> }): Record<string, H5Attr> {
  const out: Record<string, H5Attr> = Object.create(null);
  for (const [k, a] of Object.entries(obj.attrs)) {
    const v = a.json_value;
    out[k] = (Array.isArray(v) ? v.flat(Infinity) : v) as H5Attr;
  }
  return out;
}

const DTYPES: readonly string[] = ['<f', '<d', '<i', '<q'];

/** A dataset's value as a typed array (h5wasm gives a scalar dataset as a bare number or bigint). */
function typedValue(dtype: H5DType, v: unknown): H5Dataset['data'] {
  if (ArrayBuffer.isView(v)) return v as H5Dataset['data'];
  if (dtype === '<q') return BigInt64Array.of(BigInt(v as bigint | number));
  const x = Number(v);
  return dtype === '<f' ? Float32Array.of(x) : dtype === '<d' ? Float64Array.of(x) : Int32Array.of(x);
}

function readGroup(m: H5Module, g: InstanceType<H5Module['Group']>): H5Group {
  const children = new Map<string, H5Group | H5Dataset>();
  for (const key of g.keys()) {
    const c = g.get(key);
    if (c instanceof m.Group) children.set(key, readGroup(m, c));
    else if (c instanceof m.Dataset) {
      const dtype = typeof c.dtype === 'string' ? c.dtype : JSON.stringify(c.dtype);
      const known = DTYPES.includes(dtype);
      children.set(key, {
        kind: 'dataset',
        shape: [...(c.shape ?? [])],
        dtype,
        data: known ? typedValue(dtype as H5DType, c.value) : undefined,
        attrs: readAttrs(c),
      });
    }
  }
  return { kind: 'group', attrs: readAttrs(g), children };
}

/** A dataset to write. */
export interface H5DatasetSpec {
  /** Row-major shape ([] for a scalar). */
  shape: readonly number[];
  /** '<f' float32, '<d' float64, '<i' int32, '<q' int64. */
  dtype: H5DType;
  /** The values, as many as the shape has elements. */
  data: Float32Array | Float64Array | Int32Array | BigInt64Array;
}

/**
 * A group to write: attributes (a string becomes a variable-length UTF-8 string, a non-empty list of strings a
 * 1-d array of them, an empty list an empty float64 array as h5py writes it) and children in creation order.
 */
export interface H5GroupSpec {
  /** The group's attributes. */
  attrs?: Record<string, string | readonly string[]>;
  /** Sub-groups and datasets by name. */
  children?: ReadonlyMap<string, H5GroupSpec | H5DatasetSpec>;
}

function isDatasetSpec(x: H5GroupSpec | H5DatasetSpec): x is H5DatasetSpec {
  return 'dtype' in x;
}

/**
 * Writes `root` as an HDF5 file and returns its bytes.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} when HDF5 refuses an entry (`what` names the file being made).
 */
export async function writeHdf5(root: H5GroupSpec, what: string): Promise<Uint8Array> {
  const m = await h5();
  const { FS } = await m.default.ready;
  const name = virtualName();
  try {
    const file = new m.File(name, 'w');
    try {
      writeGroup(file, root);
    } finally {
      file.close();
    }
    return FS.readFile(name);
  } catch (e) {
    throw new DataFormatError(`${what}: HDF5 refused to write the file (${hdf5Reason(e)})`);
  } finally {
    try {
      FS.unlink(name);
    } catch {
      // never created
    }
  }
}

function writeGroup(g: InstanceType<H5Module['Group']>, spec: H5GroupSpec): void {
  for (const [k, v] of Object.entries(spec.attrs ?? {})) {
    if (typeof v === 'string') g.create_attribute(k, v);
    else if (v.length === 0) g.create_attribute(k, new Float64Array(0), [0], '<d');
    else g.create_attribute(k, [...v], [v.length]);
  }
  for (const [k, c] of spec.children ?? []) {
    if (isDatasetSpec(c)) g.create_dataset({ name: k, data: c.data, shape: [...c.shape], dtype: c.dtype });
    else writeGroup(g.create_group(k), c);
  }
}
