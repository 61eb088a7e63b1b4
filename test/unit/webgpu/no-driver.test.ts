/**
 * A machine without a Vulkan driver, made so in fresh processes with VK_DRIVER_FILES pointing
 * nowhere (the Vulkan loader then finds no driver), whatever this machine has installed: ditto
 * says why WebGPU is unavailable in its own words, and neither Dawn nor the Vulkan loader print
 * anything (the backend checks for a loader and a driver before it starts Dawn). Also the tests'
 * WebGPU probe (test/util/webgpu.ts): the child probe reports the same reason, and its output is
 * parsed exactly (an "unavailable" line never reads as available).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTs } from '../../util/subprocess.ts';
import { parseProbeOutput, PROBE_PREFIX, webgpuUnavailableInChild } from '../../util/webgpu.ts';

const NO_DRIVER = { VK_DRIVER_FILES: '/nonexistent.json', XDG_RUNTIME_DIR: '/tmp' };
const REASON = 'no Vulkan driver manifest exists at VK_DRIVER_FILES/VK_ICD_FILENAMES (/nonexistent.json), so Dawn has no GPU driver to load';
/** What Dawn and the Vulkan loader print when they start without a driver (never ditto's). */
const FOREIGN = /Warning|vkCreateInstance|VK_ERROR|loader_|Couldn't load Vulkan|Found no drivers|\/home\/runner|third_party\/dawn|\.cpp:\d+/;

/** Stderr's non-empty lines. */
function lines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}

describe.runIf(process.platform === 'linux')('no Vulkan driver: ditto\'s reason, no foreign noise (fresh processes)', () => {
  it('automatic selection (dt.ready()) falls back to the CPU, saying why in one line of its own', async () => {
    const r = await runTs('test/unit/webgpu/scripts/no-driver.ts', ['auto'], NO_DRIVER, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe('backend cpu 2,2,2\n');
    const err = lines(r.stderr);
    expect(err.filter((l) => FOREIGN.test(l)), 'lines of Dawn or the Vulkan loader').toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^ditto: using backend 'cpu' \[.*\] \(webgpu: /)]);
    expect(err[0]).toContain(REASON);
  });

  it('dt.setBackend(\'webgpu\') rejects with the reason, and nothing else reaches stderr', async () => {
    const r = await runTs('test/unit/webgpu/scripts/no-driver.ts', ['explicit'], NO_DRIVER, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe('backend cpu 2,2,2\n');
    const err = lines(r.stderr);
    expect(err.filter((l) => FOREIGN.test(l)), 'lines of Dawn or the Vulkan loader').toEqual([]);
    // the one line is the caught error's message (the script writes it)
    expect(err).toEqual([`setBackend: backend 'webgpu' is not available: ${REASON}`]);
  });

  it('VK_ADD_DRIVER_FILES beside VK_DRIVER_FILES (ignored by the loader) does not let Dawn start either', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ditto-no-driver-'));
    try {
      const manifest = join(dir, 'extra_icd.json');
      writeFileSync(manifest, JSON.stringify({ file_format_version: '1.0.1', ICD: { library_path: join(dir, 'libnothing.so'), api_version: '1.4.0' } }));
      const r = await runTs('test/unit/webgpu/scripts/no-driver.ts', ['explicit'], { ...NO_DRIVER, VK_ADD_DRIVER_FILES: manifest }, 120_000);
      expect(r.code, r.stderr).toBe(0);
      expect(lines(r.stderr)).toEqual([`setBackend: backend 'webgpu' is not available: ${REASON}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the tests\' child probe reports the same reason', async () => {
    expect(await webgpuUnavailableInChild(NO_DRIVER)).toBe(REASON);
  });
});

describe('the child probe\'s output is parsed exactly', () => {
  it('one well-formed line: available with a description, or unavailable with a reason', () => {
    expect(parseProbeOutput(`noise\n${PROBE_PREFIX}{"available":true,"description":"lavapipe"}\n`)).toEqual({ available: true, description: 'lavapipe' });
    expect(parseProbeOutput(`${PROBE_PREFIX}{"available":false,"reason":"no adapter"}\n`)).toEqual({ available: false, reason: 'no adapter' });
  });

  it('anything else is a failed probe, never available', () => {
    const failed = (stdout: string) => {
      const r = parseProbeOutput(stdout);
      expect(r.available, stdout).toBe(false);
      expect(r.available === false && r.reason, stdout).toMatch(/^WebGPU probe failed: /);
    };
    failed(''); // no line (a crashed child)
    failed('available: webgpu\n'); // the words alone
    failed('unavailable: available\n');
    failed(`${PROBE_PREFIX}{"available":"yes"}\n`);
    failed(`${PROBE_PREFIX}{"available":true}\n`);
    failed(`${PROBE_PREFIX}{"available":false,"reason":""}\n`);
    failed(`${PROBE_PREFIX}{"available":true,"description":"x","extra":1}\n`);
    failed(`${PROBE_PREFIX}{"available":true,\n`);
    failed(`${PROBE_PREFIX}null\n`);
    failed(`${PROBE_PREFIX}{"available":true,"description":"a"}\n${PROBE_PREFIX}{"available":true,"description":"b"}\n`); // two lines
  });
});
