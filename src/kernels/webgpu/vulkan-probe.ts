/**
 * Looks for the Vulkan loader and a Vulkan driver before Dawn is started. On Linux, Dawn reaches
 * the GPU through the Vulkan loader library (libvulkan.so.1), which finds drivers through their
 * JSON manifests (ICDs). When either is missing, creating a Dawn instance prints warnings of Dawn's
 * and the loader's own ("Couldn't load Vulkan: ...", "vkCreateInstance: Found no drivers!", with
 * paths from Dawn's build machine) to the process's stderr, which JavaScript cannot intercept. So
 * the backend checks first, the way the dynamic linker and the loader would look, and without a
 * loader or a driver reports a reason of ditto's own instead of starting Dawn at all.
 *
 * Where the dynamic linker looks (ld.so(8)): LD_LIBRARY_PATH, the linker cache /etc/ld.so.cache
 * (every directory named in /etc/ld.so.conf, the multiarch ones included), then /lib and /usr/lib
 * (and their 64-bit and multiarch variants). A stale cache entry for a deleted file is the one case
 * this check can wave through; Dawn then warns as before.
 * Where the loader looks for driver manifests (the Vulkan loader's driver discovery on Linux): only
 * the files and folders in VK_DRIVER_FILES (or the older VK_ICD_FILENAMES) when set; otherwise
 * `vulkan/icd.d` under $XDG_CONFIG_HOME (~/.config), $XDG_CONFIG_DIRS (/etc/xdg), /usr/local/etc,
 * /etc, $XDG_DATA_HOME (~/.local/share) and $XDG_DATA_DIRS (/usr/local/share:/usr/share), plus
 * VK_ADD_DRIVER_FILES (which the loader ignores when VK_DRIVER_FILES is set). A manifest whose driver
 * then fails to start is not caught here.
 * Other platforms (macOS Metal, Windows D3D12) need no loader library: the check passes.
 * Part of src/kernels/webgpu: imports only node: builtins.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The soname Dawn opens. */
export const VULKAN_LOADER = 'libvulkan.so.1';

/** The default library directories of the dynamic linker, with the common multiarch ones. */
const DEFAULT_DIRS = [
  '/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib',
  '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu',
];

export interface LoaderProbeEnv {
  platform: NodeJS.Platform;
  /** LD_LIBRARY_PATH, as the process has it. */
  ldLibraryPath: string | undefined;
  /** Path of the dynamic linker's cache. */
  ldCache: string;
  /** Directories searched after the cache. */
  defaultDirs: readonly string[];
  /** The environment variables the Vulkan loader reads (VK_DRIVER_FILES, XDG_DATA_DIRS, HOME, ...). */
  vars: Readonly<Record<string, string | undefined>>;
}

function processEnv(): LoaderProbeEnv {
  return { platform: process.platform, ldLibraryPath: process.env.LD_LIBRARY_PATH, ldCache: '/etc/ld.so.cache', defaultDirs: DEFAULT_DIRS, vars: process.env };
}

/** Whether the linker cache lists the soname (the cache stores library names as NUL-terminated strings). */
function cacheLists(cachePath: string, soname: string): boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cachePath);
  } catch {
    return false;
  }
  return bytes.includes(Buffer.from(`${soname}\0`, 'latin1'));
}

/** Whether `entry` is a manifest file, or a folder holding at least one `.json` manifest. */
function hasManifest(entry: string): boolean {
  try {
    if (!statSync(entry).isDirectory()) return true;
    return readdirSync(entry).some((n) => n.endsWith('.json'));
  } catch {
    return false;
  }
}

/** The manifest files and folders the Vulkan loader would read, and whether an override (VK_DRIVER_FILES) chose them. */
export function driverManifestPlaces(vars: LoaderProbeEnv['vars']): { places: string[]; override: boolean } {
  const list = (v: string | undefined) => (v ?? '').split(':').filter(Boolean);
  const added = list(vars.VK_ADD_DRIVER_FILES);
  const chosen = list(vars.VK_DRIVER_FILES ?? vars.VK_ICD_FILENAMES);
  // The loader ignores VK_ADD_DRIVER_FILES when an override is set (its search list is the override alone).
  if (chosen.length) return { places: chosen, override: true };
  const home = vars.HOME ?? homedir();
  const configHome = vars.XDG_CONFIG_HOME || join(home, '.config');
  const configDirs = list(vars.XDG_CONFIG_DIRS || '/etc/xdg');
  const dataHome = vars.XDG_DATA_HOME || join(home, '.local/share');
  const dataDirs = list(vars.XDG_DATA_DIRS || '/usr/local/share:/usr/share');
  const roots = [configHome, ...configDirs, '/usr/local/etc', '/etc', dataHome, ...dataDirs];
  return { places: [...added, ...roots.map((r) => join(r, 'vulkan/icd.d'))], override: false };
}

/**
 * Null when Dawn can load its Vulkan loader and the loader has a driver to load (or the platform
 * needs neither), else why not, in words that say what to install.
 */
export function vulkanUnavailable(env: LoaderProbeEnv = processEnv()): string | null {
  if (env.platform !== 'linux') return null;
  if (!loaderFound(env)) {
    return `no Vulkan loader (${VULKAN_LOADER}) is installed, so Dawn cannot reach a GPU driver; install a Vulkan driver (on a machine without a GPU: Mesa lavapipe >= 24, e.g. mesa-vulkan-drivers and libvulkan1 from bookworm-backports)`;
  }
  const { places, override } = driverManifestPlaces(env.vars);
  if (!places.some(hasManifest)) {
    return override
      ? `no Vulkan driver manifest exists at VK_DRIVER_FILES/VK_ICD_FILENAMES (${places.join(':')}), so Dawn has no GPU driver to load`
      : 'no Vulkan driver is installed (the Vulkan loader finds no driver manifest in any vulkan/icd.d folder), so Dawn has no GPU driver to load; install one (on a machine without a GPU: Mesa lavapipe >= 24, e.g. mesa-vulkan-drivers from bookworm-backports)';
  }
  return null;
}

function loaderFound(env: LoaderProbeEnv): boolean {
  const fromEnv = (env.ldLibraryPath ?? '').split(':').filter(Boolean);
  if (fromEnv.some((dir) => existsSync(join(dir, VULKAN_LOADER)))) return true;
  if (cacheLists(env.ldCache, VULKAN_LOADER)) return true;
  return env.defaultDirs.some((dir) => existsSync(join(dir, VULKAN_LOADER)));
}
