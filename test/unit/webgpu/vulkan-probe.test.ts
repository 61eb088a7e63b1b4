/**
 * The Vulkan loader and driver check that runs before Dawn is started
 * (src/kernels/webgpu/vulkan-probe.ts), on fake environments in temporary folders: where the
 * dynamic linker would find libvulkan.so.1 (LD_LIBRARY_PATH, the linker cache, the default
 * folders), and where the Vulkan loader would find a driver manifest (VK_DRIVER_FILES and the
 * older VK_ICD_FILENAMES, VK_ADD_DRIVER_FILES, the XDG folders). No device needed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driverManifestPlaces, vulkanUnavailable, VULKAN_LOADER, type LoaderProbeEnv } from '../../../src/kernels/webgpu/vulkan-probe.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'ditto-vulkan-probe-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));
let made = 0;

/** A fresh empty folder under ROOT, with `files` (relative path -> contents) in it. */
function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = join(ROOT, String(made++));
  mkdirSync(dir, { recursive: true });
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  return dir;
}

const MANIFEST = JSON.stringify({ file_format_version: '1.0.1', ICD: { library_path: 'libvulkan_lvp.so', api_version: '1.4.0' } });

/** Loader-search roots that hold nothing (HOME and every XDG folder point into an empty folder). */
function emptyXdg(): Record<string, string> {
  const e = folder();
  return { HOME: e, XDG_CONFIG_HOME: join(e, 'c'), XDG_CONFIG_DIRS: join(e, 'cd'), XDG_DATA_HOME: join(e, 'd'), XDG_DATA_DIRS: join(e, 'dd') };
}

/** A driver manifest the loader finds through VK_DRIVER_FILES. */
function withDriver(): Record<string, string> {
  return { VK_DRIVER_FILES: join(folder({ 'lvp_icd.json': MANIFEST }), 'lvp_icd.json') };
}

/** A Linux environment in which no loader exists anywhere, with `over` applied. */
function env(over: Partial<LoaderProbeEnv> = {}): LoaderProbeEnv {
  return { platform: 'linux', ldLibraryPath: undefined, ldCache: join(folder(), 'ld.so.cache'), defaultDirs: [folder()], vars: { ...emptyXdg(), ...withDriver() }, ...over };
}

const NO_LOADER = /^no Vulkan loader \(libvulkan\.so\.1\) is installed.*install a Vulkan driver/;
const NO_DRIVER = /no Vulkan driver/;

describe('vulkanUnavailable: the Vulkan loader library', () => {
  it('no libvulkan.so.1 in LD_LIBRARY_PATH, the linker cache or the default folders: the reason names it', () => {
    expect(VULKAN_LOADER).toBe('libvulkan.so.1');
    expect(vulkanUnavailable(env())).toMatch(NO_LOADER);
    // other names of the library are not the soname Dawn opens
    const lib = folder({ 'libvulkan.so': '', 'libvulkan.so.10': '', 'libvulkan.so.1.4.309': '' });
    expect(vulkanUnavailable(env({ ldLibraryPath: lib, defaultDirs: [lib] }))).toMatch(NO_LOADER);
  });

  it('found in a folder of LD_LIBRARY_PATH (any entry): goes on to the driver check', () => {
    const lib = folder({ [VULKAN_LOADER]: '' });
    const path = `${folder()}::${lib}`;
    expect(vulkanUnavailable(env({ ldLibraryPath: path }))).toBeNull();
    expect(vulkanUnavailable(env({ ldLibraryPath: path, vars: { ...emptyXdg(), VK_DRIVER_FILES: '/nonexistent.json' } }))).toMatch(NO_DRIVER);
  });

  it('found in a default folder: goes on to the driver check', () => {
    const lib = folder({ [VULKAN_LOADER]: '' });
    expect(vulkanUnavailable(env({ defaultDirs: [folder(), lib] }))).toBeNull();
    expect(vulkanUnavailable(env({ defaultDirs: [folder(), lib], vars: { ...emptyXdg(), VK_DRIVER_FILES: '/nonexistent.json' } }))).toMatch(NO_DRIVER);
  });

  it('listed in the linker cache (its bytes hold the NUL-terminated name): goes on to the driver check', () => {
    const bytes = (names: string[]) => Buffer.concat([Buffer.from('glibc-ld.so.cache1.1\0\0\0', 'latin1'), ...names.map((n) => Buffer.from(`${n}\0`, 'latin1'))]);
    const listed = join(folder({ 'ld.so.cache': bytes(['libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6', VULKAN_LOADER, `/usr/lib/x86_64-linux-gnu/${VULKAN_LOADER}`]) }), 'ld.so.cache');
    expect(vulkanUnavailable(env({ ldCache: listed }))).toBeNull();
    expect(vulkanUnavailable(env({ ldCache: listed, vars: { ...emptyXdg(), VK_DRIVER_FILES: '/nonexistent.json' } }))).toMatch(NO_DRIVER);
    // a cache without the soname (only a longer name that starts with it): no loader
    const other = join(folder({ 'ld.so.cache': bytes(['libc.so.6', 'libvulkan.so.10', 'libvulkan.so']) }), 'ld.so.cache');
    expect(vulkanUnavailable(env({ ldCache: other }))).toMatch(NO_LOADER);
  });
});

describe('vulkanUnavailable: the driver manifests', () => {
  const lib = folder({ [VULKAN_LOADER]: '' });
  const withLoader = (vars: Record<string, string>) => env({ ldLibraryPath: lib, vars });

  it('VK_DRIVER_FILES (or VK_ICD_FILENAMES) pointing nowhere: the reason names the variable and the path', () => {
    for (const name of ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES']) {
      const reason = vulkanUnavailable(withLoader({ ...emptyXdg(), [name]: '/nonexistent.json' }));
      expect(reason, name).toMatch(/^no Vulkan driver manifest exists at VK_DRIVER_FILES\/VK_ICD_FILENAMES \(\/nonexistent\.json\)/);
    }
    // the override replaces the default folders, even where those hold a driver
    const data = folder({ 'vulkan/icd.d/lvp_icd.json': MANIFEST });
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), XDG_DATA_DIRS: data, VK_DRIVER_FILES: '/nonexistent.json' }))).toMatch(/VK_DRIVER_FILES/);
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), XDG_DATA_DIRS: data }))).toBeNull();
  });

  it('VK_DRIVER_FILES naming a manifest file, or a folder with a .json in it: available', () => {
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), ...withDriver() }))).toBeNull();
    const dir = folder({ 'a.json': MANIFEST });
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), VK_DRIVER_FILES: `/nonexistent.json:${dir}` }))).toBeNull();
    // a folder without a .json manifest is no driver
    const noJson = folder({ 'README.txt': 'x' });
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), VK_DRIVER_FILES: noJson }))).toMatch(/VK_DRIVER_FILES/);
  });

  it('VK_ADD_DRIVER_FILES adds to the default folders, and is ignored under an override (as the loader does)', () => {
    const dir = folder({ 'a.json': MANIFEST });
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), VK_ADD_DRIVER_FILES: `/nonexistent.json:${dir}` }))).toBeNull();
    expect(vulkanUnavailable(withLoader({ ...emptyXdg(), VK_DRIVER_FILES: '/nonexistent.json', VK_ADD_DRIVER_FILES: dir }))).toMatch(/^no Vulkan driver manifest exists at VK_DRIVER_FILES\/VK_ICD_FILENAMES \(\/nonexistent\.json\)/);
  });

  it('a vulkan/icd.d folder with a .json under XDG_DATA_DIRS, XDG_DATA_HOME, XDG_CONFIG_DIRS or XDG_CONFIG_HOME: available', () => {
    for (const name of ['XDG_DATA_DIRS', 'XDG_DATA_HOME', 'XDG_CONFIG_DIRS', 'XDG_CONFIG_HOME']) {
      const root = folder({ 'vulkan/icd.d/lvp_icd.json': MANIFEST });
      const value = name.endsWith('DIRS') ? `${folder()}:${root}` : root;
      expect(vulkanUnavailable(withLoader({ ...emptyXdg(), [name]: value })), name).toBeNull();
    }
    // under HOME's default data folder (~/.local/share) when XDG_DATA_HOME is unset
    const home = folder({ '.local/share/vulkan/icd.d/lvp_icd.json': MANIFEST });
    const { XDG_DATA_HOME: _unset, ...rest } = emptyXdg();
    expect(vulkanUnavailable(withLoader({ ...rest, HOME: home }))).toBeNull();
  });

  it('the places searched: without an override VK_ADD_DRIVER_FILES, then the XDG folders, /usr/local/etc and /etc; with one, the override alone', () => {
    const p = driverManifestPlaces({ HOME: '/h', XDG_DATA_DIRS: '/a:/b', VK_ADD_DRIVER_FILES: '/extra.json' });
    expect(p.override).toBe(false);
    expect(p.places).toEqual([
      '/extra.json', '/h/.config/vulkan/icd.d', '/etc/xdg/vulkan/icd.d', '/usr/local/etc/vulkan/icd.d', '/etc/vulkan/icd.d',
      '/h/.local/share/vulkan/icd.d', '/a/vulkan/icd.d', '/b/vulkan/icd.d',
    ]);
    expect(driverManifestPlaces({ HOME: '/h' }).places.slice(-2)).toEqual(['/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d']);
    expect(driverManifestPlaces({ VK_ICD_FILENAMES: '/x.json:/y.json', VK_ADD_DRIVER_FILES: '/z.json' })).toEqual({ places: ['/x.json', '/y.json'], override: true });
    expect(driverManifestPlaces({ VK_DRIVER_FILES: '/d.json', VK_ICD_FILENAMES: '/x.json' })).toEqual({ places: ['/d.json'], override: true });
  });
});

describe('vulkanUnavailable: other platforms', () => {
  it('macOS and Windows need no Vulkan loader: null even where nothing is installed', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(vulkanUnavailable(env({ platform, vars: { ...emptyXdg(), VK_DRIVER_FILES: '/nonexistent.json' } })), platform).toBeNull();
    }
  });
});
