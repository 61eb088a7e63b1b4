/**
 * The same seed gives the same bits in fit with BatchNormalization: a small CNN with two
 * BatchNormalization layers (unseeded initializers, dropout, shuffle) trained in two fresh processes
 * with setRandomSeed(812) prints identical loss bits, moving statistics and weight digests; seed 813
 * gives different ones. The same program on WebGPU prints the CPU's bits.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../util/subprocess.ts';
import { itWebGpu, webgpuUnavailableInChild } from '../util/webgpu.ts';

const SCRIPT = 'test/determinism/scripts/fit-batchnorm.ts';
const unavailable = await webgpuUnavailableInChild();

interface Run {
  loss: string[];
  valLoss: string[];
  weightsDigest: string;
  moving: string[][];
}

describe('fit with BatchNormalization: determinism across processes (cpu)', () => {
  it('two processes with seed 812 agree bit for bit; seed 813 differs', async () => {
    const [a, b, c] = await Promise.all([runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['813', 'cpu'])]);
    for (const r of [a, b, c]) expect(r.code, r.stderr.toString()).toBe(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const [ra, rc] = [a, c].map((r) => JSON.parse(r.stdout.toString()) as Run);
    expect(ra.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(ra.loss).toHaveLength(2);
    // two layers' moving mean and variance, moved away from their initial zeros and ones by training
    expect(ra.moving.map((m) => m.length)).toEqual([6, 6, 6, 6]);
    expect(ra.moving[0].some((h) => h !== '00000000')).toBe(true);
    expect(ra.moving[1].some((h) => h !== '3f800000')).toBe(true);
    expect(rc.weightsDigest).not.toBe(ra.weightsDigest);
    expect(rc.moving).not.toEqual(ra.moving);
    expect(rc.loss[0]).not.toBe(ra.loss[0]);
  });

  itWebGpu('WebGPU prints the same bits as the CPU', unavailable, async () => {
    const [cpu, gpu] = await Promise.all([runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['812', 'webgpu'])]);
    for (const r of [cpu, gpu]) expect(r.code, r.stderr.toString()).toBe(0);
    expect(gpu.stdout.toString()).toBe(cpu.stdout.toString());
  }, 300_000);
});
