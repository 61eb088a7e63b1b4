/**
 * The CPU worker pool: thread-count configuration, work really shared with the workers, a worker
 * that throws or exits during a job surfaces as a BackendError (no hang) and the pool restarts,
 * whether the job woke it on its doorbell (parked) or from its event loop, shutdown terminates the
 * workers, and idle workers never keep the process alive, parked or not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { aloneJobCount, setDynamicThreads } from '../../../src/kernels/cpu/dynamic-threads.ts';
import { setPoolTrace, takePoolTrace } from '../../../src/kernels/cpu/pool-trace.ts';
import { getNumThreads, parallelJobCount, poolSize, runJob, runSplit, setNumThreads, setParallelMinWork, setParkMs, setSpinUs, shutdownPool } from '../../../src/kernels/cpu/thread-pool.ts';
import { runTs } from '../../util/subprocess.ts';

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

describe('CPU worker pool', () => {
  afterAll(async () => {
    setParkMs();
    setSpinUs();
    await shutdownPool();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** How the worker got a 1-block job: 1 by its doorbell (parked), 2 from its event loop. */
  const arrival = (): number => {
    const out = shared(1);
    runJob('test.arrival', { out }, 1, { work: 1e9, out, workersOnly: true });
    return out[0];
  };

  it('setNumThreads validates its argument; getNumThreads reads it back (dt.config)', () => {
    expect(() => dt.config.setNumThreads(0)).toThrow(dt.ArgumentError);
    expect(() => dt.config.setNumThreads(1.5)).toThrow(/integer/);
    dt.config.setNumThreads(3);
    expect(dt.config.getNumThreads()).toBe(3);
    expect(getNumThreads()).toBe(3);
  });

  it('shares the blocks of a job between the main thread and the workers', () => {
    setNumThreads(3);
    const out = shared(200);
    // start the workers first (from TypeScript sources they take a few hundred ms to load)
    runJob('test.record', { out }, 2, { work: 1e9, out, workersOnly: true });
    out.fill(-1);
    runJob('test.record', { out, spinMs: 1 }, 200, { work: 1e9, out });
    const used = new Set(out);
    expect(used.has(-1)).toBe(false);
    expect([...used].every((t) => t >= 0 && t <= 2)).toBe(true);
    expect(used.size).toBeGreaterThan(1);
    expect(poolSize()).toBe(2);
  });

  it('a worker that throws becomes a BackendError, and the pool recovers', () => {
    setNumThreads(2);
    const out = shared(8);
    expect(() => runJob('test.throw', { message: 'deliberate failure' }, 8, { work: 1e9, out, workersOnly: true })).toThrow(dt.BackendError);
    try {
      runJob('test.throw', { message: 'deliberate failure' }, 8, { work: 1e9, out, workersOnly: true });
    } catch (e) {
      expect((e as Error).message).toMatch(/CPU worker thread 1 failed in a 'test.throw' job: Error: deliberate failure/);
    }
    runJob('test.record', { out }, 8, { work: 1e9, out, workersOnly: true });
    expect([...out]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('a parked worker takes the next job by its doorbell; after the park time, from its event loop', async () => {
    setNumThreads(2);
    setParkMs();
    setSpinUs(0);
    arrival();
    // parked after its job: the next ones ring its doorbell
    expect([arrival(), arrival(), arrival()]).toEqual([1, 1, 1]);
    setParkMs(20);
    expect(arrival()).toBe(1);
    await sleep(200);
    // it went back to its event loop: the job arrives as a message event, and it parks again
    expect(arrival()).toBe(2);
    expect(arrival()).toBe(1);
    await sleep(200);
    setParkMs();
    expect(arrival()).toBe(2);
    // a job of many blocks shared with the main thread, right after (the worker takes it by its bell)
    const out = shared(64);
    out.fill(-1);
    runJob('test.arrival', { out, spinMs: 1 }, 64, { work: 1e9, out });
    expect(out.every((v) => v === 0 || v === 1)).toBe(true);
    setSpinUs();
  });

  it('a worker polling its doorbell right after a job takes the next one by its spin; every block runs exactly once', async () => {
    setNumThreads(2);
    setParkMs();
    // spins long enough to catch back-to-back jobs even on a busy machine, and not gated (always on)
    setSpinUs(200_000, 2_000, false);
    try {
      arrival();
      expect([arrival(), arrival(), arrival()]).toEqual([3, 3, 3]);
      // after the spin it parks: the next job rings the parked worker's bell
      setSpinUs(1_000, 2_000, false);
      arrival();
      await sleep(50);
      expect(arrival()).toBe(1);
      setSpinUs(200_000, 2_000, false);
      arrival();
      for (const [nBlocks, spinMs] of [[64, 0], [7, 1], [2, 0], [33, 0.2]] as const) {
        for (let rep = 0; rep < 20; rep++) {
          const out = shared(nBlocks);
          runJob('test.count', { out, spinMs }, nBlocks, { work: 1e9, out });
          expect([...out]).toEqual(new Array(nBlocks).fill(1));
        }
      }
      const out = shared(64);
      out.fill(-1);
      runJob('test.arrival', { out, spinMs: 0.5 }, 64, { work: 1e9, out });
      expect(out.every((v) => v === 0 || v === 3)).toBe(true);
    } finally {
      setSpinUs();
    }
  });

  it('while the cores are busy, jobs run on the main thread alone (dynamic threads), except where tests force them parallel', () => {
    setNumThreads(2);
    const out = shared(64);
    runJob('test.record', { out }, 64, { work: 1e9, out });
    setDynamicThreads(true, 60_000);
    try {
      const jobs = parallelJobCount();
      const alone = aloneJobCount();
      out.fill(-1);
      runJob('test.record', { out, spinMs: 0.05 }, 64, { work: 1e9, out });
      expect([...out]).toEqual(new Array(64).fill(0));
      expect(parallelJobCount()).toBe(jobs);
      expect(aloneJobCount()).toBe(alone + 1);
      // workers-only jobs and a forced threshold still use the workers
      runJob('test.record', { out }, 4, { work: 1e9, out, workersOnly: true });
      expect([...out.subarray(0, 4)]).toEqual([1, 1, 1, 1]);
      setParallelMinWork(1);
      const counts = shared(64);
      runJob('test.count', { out: counts, spinMs: 0.05 }, 64, { work: 1e9, out: counts });
      expect([...counts]).toEqual(new Array(64).fill(1));
      expect(parallelJobCount()).toBe(jobs + 2);
      expect(aloneJobCount()).toBe(alone + 1);
    } finally {
      setParallelMinWork();
      setDynamicThreads();
    }
  });

  it('op results are the same bits whether the worker spins, parks or is absent', async () => {
    const r = (seed: number) => dt.tensor(Float32Array.from({ length: 64 * 15 * 15 * 8 }, (_, i) => Math.sin(seed * 1000 + i * 0.37)), [64, 15, 15, 8]);
    const x = r(1);
    const w = dt.tensor(Float32Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i * 0.11)), [3, 3, 8, 16]);
    const run = async (): Promise<number[]> => {
      const y = dt.conv2d(x, w);
      const p = dt.maxPool2d(y);
      const s = dt.sum(p.mul(p), [0, 1, 2]);
      const bits = [...new Uint32Array((await p.data() as Float32Array).buffer), ...new Uint32Array((await s.data() as Float32Array).buffer)];
      dt.dispose([y, p, s]);
      return bits;
    };
    await dt.setBackend('cpu');
    setParallelMinWork(1);
    try {
      setNumThreads(1);
      const one = await run();
      setNumThreads(2);
      const variants: [number, number, boolean][] = [[0, 0, true], [200_000, 2_000, false], [300, 300, true]];
      for (const [worker, main, gated] of variants) {
        setSpinUs(worker, main, gated);
        expect(await run()).toEqual(one);
        expect(await run()).toEqual(one);
      }
      // dynamic threads: the main thread alone while the cores are busy
      setSpinUs();
      setParallelMinWork();
      setDynamicThreads(true, 60_000);
      const alone = aloneJobCount();
      expect(await run()).toEqual(one);
      expect(aloneJobCount()).toBeGreaterThan(alone);
      setDynamicThreads();
    } finally {
      setSpinUs();
      setParallelMinWork();
      setDynamicThreads();
    }
  });

  it('a worker that throws on a job from its doorbell or from its event loop becomes a BackendError, and the pool recovers', async () => {
    setNumThreads(2);
    setParkMs();
    setSpinUs(0);
    arrival();
    const out = shared(8);
    expect(() => runJob('test.throw', { message: 'parked failure' }, 8, { work: 1e9, out, workersOnly: true }))
      .toThrow(/CPU worker thread 1 failed in a 'test.throw' job: Error: parked failure \(job by bell\)/);
    setParkMs(5);
    arrival();
    await sleep(100);
    expect(() => runJob('test.throw', { message: 'idle failure' }, 8, { work: 1e9, out, workersOnly: true }))
      .toThrow(/CPU worker thread 1 failed in a 'test.throw' job: Error: idle failure \(job by event\)/);
    setParkMs();
    expect(arrival()).toBe(2);
    expect(arrival()).toBe(1);
    setSpinUs();
  });

  it('a worker that exits during a job becomes a BackendError, not a hang', () => {
    setNumThreads(2);
    const out = shared(4);
    const t0 = Date.now();
    expect(() => runJob('test.exit', {}, 4, { work: 1e9, out, workersOnly: true })).toThrow(/exited \(code 3\) during a 'test.exit' job/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    runJob('test.record', { out }, 4, { work: 1e9, out, workersOnly: true });
    expect([...out]).toEqual([1, 1, 1, 1]);
    // again with the worker parked on its doorbell (it just ran a job)
    expect(() => runJob('test.exit', {}, 4, { work: 1e9, out, workersOnly: true })).toThrow(/exited \(code 3\) during a 'test.exit' job/);
    runJob('test.record', { out }, 4, { work: 1e9, out, workersOnly: true });
    expect([...out]).toEqual([1, 1, 1, 1]);
  });

  it('the trace accounts for every block and orders each thread\'s stamps; off, it records nothing', () => {
    setNumThreads(2);
    const out = shared(64);
    runJob('test.record', { out }, 2, { work: 1e9, out, workersOnly: true });
    setPoolTrace(true);
    try {
      runJob('test.record', { out, spinMs: 1 }, 64, { work: 1e9, out });
      const small = shared(3);
      runJob('test.record', { out: small }, 3, { work: 1, out: small });
      const [par, inline] = takePoolTrace();
      expect(par.parallel).toBe(true);
      expect(par.nBlocks).toBe(64);
      const w = par.workers[0];
      expect(par.mainBlocks + w.blocks).toBe(64);
      expect(par.mainBlocks).toBe([...out].filter((t) => t === 0).length);
      expect(w.blocks).toBe([...out].filter((t) => t === 1).length);
      expect(par.start).toBeLessThanOrEqual(par.end);
      if (par.mainBlocks) expect(par.start <= par.mainFirst && par.mainFirst <= par.mainLast && par.mainLast <= par.end).toBe(true);
      if (w.blocks) expect(par.start <= w.wake && w.wake <= w.first && w.first <= w.last && w.last <= par.end).toBe(true);
      expect(inline).toMatchObject({ parallel: false, nBlocks: 3, mainBlocks: 3, workers: [] });
      expect(takePoolTrace()).toEqual([]);
    } finally {
      setPoolTrace(false);
    }
    runJob('test.record', { out }, 64, { work: 1e9, out });
    expect(takePoolTrace()).toEqual([]);
  });

  it('an unknown task is a BackendError', () => {
    // @ts-expect-error: not a task name (runJob's task and job are type-checked; this checks the run-time guard)
    expect(() => runJob('no.such.task', {}, 2, { work: 1e9, out: shared(1) })).toThrow(dt.BackendError);
  });

  it('a job must be its task\'s (checked by the compiler, never run)', () => {
    const typeChecks = (): void => {
      // @ts-expect-error: 'test.throw' takes { message: string }
      runJob('test.throw', { out: shared(1) }, 1, { work: 0, out: shared(1) });
      // @ts-expect-error: 'relu' jobs have no `g`
      runSplit('relu', { g: new Float32Array(1), x: new Float32Array(1), d: new Float32Array(1), total: 1 }, 1, { workPerUnit: 1, minBlock: 1, out: shared(1) });
      // @ts-expect-error: 'gemm' is not shared out by runSplit (its blocks are planned by planGemm)
      runSplit('gemm', {} as never, 1, { workPerUnit: 1, minBlock: 1, out: shared(1) });
    };
    expect(typeof typeChecks).toBe('function');
  });

  it('the backend shuts the pool down; the next parallel op restarts it', async () => {
    setNumThreads(2);
    await dt.setBackend('cpu');
    const a = dt.ones([256, 256]);
    dt.matmul(a, a).dispose();
    expect(poolSize()).toBe(1);
    await dt.shutdown();
    expect(poolSize()).toBe(0);
    await dt.setBackend('cpu');
    const b = dt.ones([256, 256]);
    const y = dt.matmul(b, b);
    expect((await y.data())[0]).toBe(256);
    expect(poolSize()).toBe(1);
    await dt.shutdown();
  });

  it('idle workers do not keep a process alive, dt.shutdown() exits promptly, DITTO_THREADS is checked', async () => {
    const [idle, idleLoop, shut, bad] = await Promise.all([
      runTs('test/unit/cpu/scripts/pool-exit.ts', ['idle'], { DITTO_THREADS: '3' }, 60_000),
      runTs('test/unit/cpu/scripts/pool-exit.ts', ['idle-loop'], { DITTO_THREADS: '3' }, 60_000),
      runTs('test/unit/cpu/scripts/pool-exit.ts', ['shutdown'], { DITTO_THREADS: '3' }, 60_000),
      runTs('test/unit/cpu/scripts/pool-exit.ts', ['idle'], { DITTO_THREADS: 'two' }, 60_000),
    ]);
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stdout.toString().trim()).toBe('workers=2');
    expect(idleLoop.code, idleLoop.stderr).toBe(0);
    expect(idleLoop.stdout.toString().trim()).toBe('workers=2');
    expect(shut.code, shut.stderr).toBe(0);
    expect(shut.stdout.toString().trim()).toBe('workers=2 after=0');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/DITTO_THREADS: expected an integer in \[1, 256\]. Received: DITTO_THREADS="two"/);
  });
});
