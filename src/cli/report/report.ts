/**
 * `ditto report <run-dir or history.json ...> [--out report.html] [--diff trace-diff.json]`: one self-contained
 * HTML page (inline SVG charts and CSS, no script, no network) with the loss and metric curves of every run per
 * epoch and per step, overlaid; the first divergence between the first run and each other run (from their
 * histories) and, with `--diff`, the root cause found by `ditto diff --json` on two traces, marked on the charts;
 * the determinism facts of each run (seed, backend, adapter, threads, weights digest) and the model summary.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ArgumentError, debug } from '../../core/internal.ts';
import { diffHistories, formatHistoryDiff } from '../history-diff.ts';
import { type ChartSpec, type Marker, buildCharts } from './charts.ts';
import { renderSvgs } from './render.ts';
import { type Run, loadRuns } from './runs.ts';

const esc = (s: unknown): string => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** What {@link writeReport} wrote. */
export interface ReportResult {
  /** The page's path. */
  path: string;
  /** The charts, with the marks each must show. */
  charts: ChartSpec[];
}

/** Builds the report page for `runArgs` into `out`. `traceDiff`: the path of a `ditto diff --json` result for traces. */
export async function writeReport(runArgs: readonly string[], out: string, traceDiff?: string): Promise<ReportResult> {
  const runs = loadRuns(runArgs);
  const markers: Marker[] = [];
  const sections: string[] = [];
  for (const r of runs.slice(1)) {
    const d = diffHistories(runs[0].record, r.record);
    if (d.step) markers.push({ axis: 'step', at: d.step.at, label: `${runs[0].label} vs ${r.label}` });
    if (d.epoch) markers.push({ axis: 'epoch', at: d.epoch.at, label: `${runs[0].label} vs ${r.label}` });
    sections.push(`<h3>${esc(runs[0].label)} vs ${esc(r.label)}</h3><pre>${esc(formatHistoryDiff(d))}</pre>`);
  }
  if (traceDiff !== undefined) {
    const d = JSON.parse(readFileSync(traceDiff, 'utf8')) as debug.TraceDiff & { kind?: string; a?: string; b?: string };
    if (d.kind !== undefined && d.kind !== 'trace') throw new ArgumentError(`ditto report: --diff expects the output of 'ditto diff --json' on two traces. Received: a ${d.kind} diff`);
    if (d.root && d.root.step > 0) markers.push({ axis: 'step', at: d.root.step, label: `trace root cause: ${d.root.op}` });
    sections.push(`<h3>Op trace diff${d.a ? `: ${esc(d.a)} vs ${esc(d.b)}` : ''}</h3><pre>${esc(debug.formatTraceDiff(d))}</pre>`);
  }
  const charts = buildCharts(runs, markers);
  const svgs = await renderSvgs(charts.map((c) => c.spec));
  const figures = charts.map((c, i) =>
    `<figure data-chart="${esc(c.id)}" data-symbols="${c.expected.symbols}" data-lines="${c.expected.lines}" data-rules="${c.expected.rules}"><figcaption>${esc(c.title)}</figcaption>${svgs[i]}</figure>`);
  const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ditto run report</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222; }
figure { display: inline-block; margin: 8px 16px 16px 0; vertical-align: top; }
figcaption { font-weight: bold; margin-bottom: 4px; }
table { border-collapse: collapse; font-size: 13px; max-width: 100%; }
td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
td.wrap { overflow-wrap: anywhere; }
pre { background: #f6f6f6; padding: 8px; font-size: 12px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.marker { color: #d62728; }
</style></head><body>
<h1>ditto run report</h1>
<p>${runs.length} run${runs.length === 1 ? '' : 's'}: ${runs.map((r) => esc(r.label)).join(', ')}.
${markers.length ? `<span class="marker">Dashed red rules mark the first divergence: ${markers.map((m) => `${esc(m.label)} at ${m.axis} ${m.axis === 'epoch' ? m.at + 1 : m.at}`).join('; ')}.</span>` : runs.length > 1 ? 'The runs agree bit for bit in every recorded value.' : ''}</p>
<h2>Curves</h2>
${figures.join('\n')}
<h2>Determinism facts</h2>
${factsTable(runs)}
${sections.length ? `<h2>Divergence</h2>\n${sections.join('\n')}` : ''}
<h2>Model summary</h2>
${summaries(runs)}
</body></html>
`;
  writeFileSync(out, page);
  return { path: out, charts };
}

function factsTable(runs: readonly Run[]): string {
  const row = (r: Run): string => {
    const o = r.record.options ?? {};
    const cells = [r.label, o.seed ?? '-', r.record.backend ?? '-', r.record.backendDescription ?? '-', r.record.threads ?? '-', r.record.weightsDigest ?? '-', JSON.stringify(o), r.path];
    // The digest, options and path may be long: those cells wrap anywhere, so the table fits the page.
    return `<tr>${cells.map((c, i) => `<td${i >= 5 ? ' class="wrap"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
  };
  return `<table><tr><th>run</th><th>seed</th><th>backend</th><th>adapter / kernels</th><th>threads</th><th>weights digest (SHA-256)</th><th>options</th><th>file</th></tr>${runs.map(row).join('')}</table>`;
}

function summaries(runs: readonly Run[]): string {
  const seen = new Map<string, string[]>();
  for (const r of runs) {
    const s = r.record.summary;
    if (s) seen.set(s, [...(seen.get(s) ?? []), r.label]);
  }
  if (!seen.size) return '<p>No model summary was recorded with these runs.</p>';
  return [...seen].map(([s, labels]) => `<p>${labels.map(esc).join(', ')}:</p><pre>${esc(s)}</pre>`).join('\n');
}

/** Runs `ditto report`; returns the exit status. */
export async function runReport(args: string[], print: (s: string) => void): Promise<number> {
  let out = 'report.html';
  let diff: string | undefined;
  const runs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i];
    else if (args[i] === '--diff') diff = args[++i];
    else runs.push(args[i]);
  }
  if (!runs.length || !out || (args.includes('--diff') && !diff)) {
    print('usage: ditto report <run-dir or history.json ...> [--out report.html] [--diff trace-diff.json]');
    return 2;
  }
  const r = await writeReport(runs, out, diff);
  print(`ditto report: wrote ${r.path} (${r.charts.length} charts, ${runs.length} run${runs.length === 1 ? '' : 's'})`);
  return 0;
}
