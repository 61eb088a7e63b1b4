/**
 * `ditto report` in a real browser: two runs' history.json files (with the per-step series, determinism facts and
 * model summary) become one HTML page that headless Chromium (Debian's `chromium`; .ci/run installs it) loads
 * without console errors, in which every chart shows the expected number of marks (points, lines, divergence
 * rules), and whose screenshot is not blank. A control page proves that the console check can fail.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { writeReport } from '../../src/cli/report/report.ts';
import { decodePng } from '../util/png.ts';

const dir = mkdtempSync(join(tmpdir(), 'ditto-report-'));

function findChromium(): string | null {
  for (const name of [process.env.CHROMIUM, 'chromium', 'chromium-browser']) {
    if (!name) continue;
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
      return name;
    } catch {
      // not installed under this name
    }
  }
  return null;
}
const chromium = findChromium();
const noChromium = chromium ? null : 'Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)';

/** Runs headless Chromium on `url` with `args`; resolves to its stderr (console messages are logged there). */
function headless(url: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const base = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--enable-logging=stderr', '--v=0', `--user-data-dir=${join(dir, 'profile')}`];
  return new Promise((res, rej) => {
    execFile(chromium!, [...base, ...args, url], { timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && !stdout) return rej(new Error(`chromium failed: ${err.message}\n${stderr}`));
      res({ stdout, stderr });
    });
  });
}

const consoleErrors = (stderr: string): string[] => stderr.split('\n').filter((l) => /CONSOLE|Uncaught|Failed to load resource/i.test(l) && !/DevTools listening/.test(l));

/** Trains 2 epochs of 2 steps from `seed` and writes its run record like the examples do. */
async function runTo(name: string, seed: number, factsBeside = false): Promise<string> {
  dt.utils.setRandomSeed(seed);
  const m = new dt.Sequential([dt.layers.Input({ shape: [4] }), new dt.layers.Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = dt.tensor(Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) / 11), [8, 4]);
  const y = dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
  const data = dt.data.Dataset.fromTensorSlices([x, y]).batch(4);
  const history = await m.fit(data, { epochs: 2, verbose: 0, validationData: data });
  const record = { ...history.toJSON(), weightsDigest: await dt.utils.weightsDigest(m), options: { seed }, backend: dt.getBackend() };
  const facts = { backendDescription: dt.getBackendInfo().description, threads: dt.config.getNumThreads(), summary: m.summary(() => {}) };
  m.dispose();
  const runDir = join(dir, name);
  mkdirSync(runDir, { recursive: true });
  // As npm start does (facts in run.json beside history.json), or all in history.json.
  writeFileSync(join(runDir, 'history.json'), JSON.stringify(factsBeside ? record : { ...record, ...facts }, null, 2));
  if (factsBeside) writeFileSync(join(runDir, 'run.json'), JSON.stringify(facts));
  return runDir;
}

let page = '';
let charts: Awaited<ReturnType<typeof writeReport>>['charts'] = [];

beforeAll(async () => {
  await dt.setBackend('cpu');
  const a = await runTo('seed-1', 1);
  const b = await runTo('seed-2', 2, true);
  page = join(dir, 'report.html');
  charts = (await writeReport([a, b], page)).charts;
});
afterAll(async () => {
  await dt.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** Counts the marks of each chart in a page's DOM: [symbols, lines, rules] by chart id. */
function countMarks(dom: string): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  for (const part of dom.split('<figure ').slice(1)) {
    const id = /data-chart="([^"]+)"/.exec(part)![1];
    const count = (kind: string, el: string): number =>
      [...part.matchAll(new RegExp(`<g class="mark-${kind} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs'))].reduce((n, m) => n + (m[1].match(new RegExp(`<${el}[ >]`, 'g'))?.length ?? 0), 0);
    out.set(id, [count('symbol', 'path'), count('line', 'path'), count('rule', 'line')]);
  }
  return out;
}

describe('ditto report', () => {
  it('builds the charts it should: per-epoch families and per-step series, runs overlaid, divergence marked', () => {
    expect(charts.map((c) => c.id)).toEqual(['epoch-accuracy', 'epoch-loss', 'step-accuracy', 'step-loss']);
    // 2 runs x (train + val) x 2 epochs points; 4 series; the seeds diverge at epoch 1 and step 1.
    expect(charts[1].expected).toEqual({ symbols: 8, lines: 4, rules: 1 });
    expect(charts[3].expected).toEqual({ symbols: 0, lines: 2, rules: 1 });
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('seed-1 vs seed-2');
    expect(html).toContain('weights digest');
    expect(html).toContain('Total params');
    // Both runs' summaries were found (seed-2's in its run.json; the layer names differ within one process).
    expect(html).toContain('<p>seed-1:</p>');
    expect(html).toContain('<p>seed-2:</p>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org|vega\.github\.io)/);
  });

  it.skipIf(noChromium)(`renders in headless Chromium: no console errors, every chart with its marks${noChromium ? ` (skipped: ${noChromium})` : ''}`, async () => {
    const { stdout, stderr } = await headless(pathToFileURL(page).href, ['--dump-dom']);
    expect(consoleErrors(stderr)).toEqual([]);
    const marks = countMarks(stdout);
    expect([...marks.keys()]).toEqual(charts.map((c) => c.id));
    for (const c of charts) expect(marks.get(c.id), c.id).toEqual([c.expected.symbols, c.expected.lines, c.expected.rules]);
  }, 180_000);

  it.skipIf(noChromium)(`the console check sees errors (control page)${noChromium ? ` (skipped: ${noChromium})` : ''}`, async () => {
    const bad = join(dir, 'bad.html');
    writeFileSync(bad, '<!DOCTYPE html><html><body><script>console.error("control error"); undefinedFunction();</script></body></html>');
    const { stderr } = await headless(pathToFileURL(bad).href, ['--dump-dom']);
    expect(consoleErrors(stderr).join('\n')).toMatch(/control error|undefinedFunction/);
  }, 180_000);

  it.skipIf(noChromium)(`a screenshot of the report is not blank${noChromium ? ` (skipped: ${noChromium})` : ''}`, async () => {
    const png = join(dir, 'report.png');
    await headless(pathToFileURL(page).href, [`--screenshot=${png}`, '--window-size=1280,1400']);
    const { width, height, rgba } = decodePng(readFileSync(png));
    expect([width, height]).toEqual([1280, 1400]);
    let ink = 0;
    const colors = new Set<number>();
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]];
      if (r + g + b < 720) ink++;
      if (colors.size < 1000) colors.add((r << 16) | (g << 8) | b);
    }
    expect(ink / (width * height)).toBeGreaterThan(0.01);
    expect(colors.size).toBeGreaterThan(20);
    if (process.env.DITTO_REPORT_SCREENSHOT) writeFileSync(process.env.DITTO_REPORT_SCREENSHOT, readFileSync(png));
  }, 180_000);
});
