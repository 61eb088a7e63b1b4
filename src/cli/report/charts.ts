/**
 * The report's charts as Vega-Lite specifications: one chart per metric family (e.g. `loss` with `val_loss`) per
 * epoch, and one per training metric per step (fit's per-step series), every run overlaid in its own colour; a
 * red rule marks the first divergence. Rendered to SVG in Node by render.ts.
 * Part of src/cli: imports src/core and src/nn only.
 */
import type { Run } from './runs.ts';

/** A chart to render: its id, title, Vega-Lite spec, and the marks it must show. */
export interface ChartSpec {
  /** Id used in the page (`data-chart`). */
  id: string;
  /** Heading. */
  title: string;
  /** The Vega-Lite specification. */
  spec: Record<string, unknown>;
  /** Marks the rendered chart must have: points (symbols), lines (series) and rules (divergence markers). */
  expected: { symbols: number; lines: number; rules: number };
}

/** A divergence to mark: on the epoch axis (epoch index from 0) and/or the step axis (global step from 1). */
export interface Marker {
  /** 'epoch' or 'step'. */
  axis: 'epoch' | 'step';
  /** Where. */
  at: number;
  /** What diverged, for the tooltip/label. */
  label: string;
}

const family = (key: string): string => key.replace(/^val_/, '');

function layered(title: string, xField: string, xTitle: string, rows: object[], rules: object[], points: boolean): Record<string, unknown> {
  const base = {
    encoding: {
      x: { field: xField, type: 'quantitative', title: xTitle, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: title, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: 'run / series' },
    },
  };
  const layer: object[] = [{ mark: { type: 'line' }, ...base }];
  if (points) layer.push({ mark: { type: 'point', filled: true, size: 40 }, ...base });
  if (rules.length) {
    layer.push({
      data: { values: rules },
      mark: { type: 'rule', color: '#d62728', strokeWidth: 2, strokeDash: [4, 3] },
      encoding: { x: { field: 'at', type: 'quantitative' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 520, height: 240, data: { values: rows }, layer,
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  };
}

/** The charts for `runs`, with `markers` drawn as rules. */
export function buildCharts(runs: readonly Run[], markers: readonly Marker[]): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.record.history)))].sort();
  const families = [...new Set(keys.map(family))];
  const epochRules = markers.filter((m) => m.axis === 'epoch').map((m) => ({ at: m.at + 1, label: m.label }));
  const stepRules = markers.filter((m) => m.axis === 'step').map((m) => ({ at: m.at, label: m.label }));
  for (const f of families) {
    const rows: { series: string; epoch: number; value: number }[] = [];
    const series = new Set<string>();
    for (const r of runs) {
      for (const k of keys.filter((k) => family(k) === f)) {
        const v = r.record.history[k] ?? [];
        if (v.length) series.add(`${r.label} ${k}`);
        v.forEach((value, e) => rows.push({ series: `${r.label} ${k}`, epoch: e + 1, value }));
      }
    }
    charts.push({
      id: `epoch-${f}`, title: `${f} per epoch`, spec: layered(f, 'epoch', 'epoch', rows, epochRules, true),
      expected: { symbols: rows.length, lines: series.size, rules: epochRules.length },
    });
  }
  const stepKeys = [...new Set(runs.flatMap((r) => Object.keys(r.record.steps?.history ?? {})))].sort();
  for (const k of stepKeys) {
    const rows: { series: string; step: number; value: number }[] = [];
    let lines = 0;
    for (const r of runs) {
      const s = r.record.steps;
      const v = s?.history[k];
      if (!s || !v?.length) continue;
      lines++;
      v.forEach((value, i) => rows.push({ series: r.label, step: s.step[i], value }));
    }
    charts.push({
      id: `step-${k}`, title: `${k} per step (running mean over the epoch)`, spec: layered(k, 'step', 'optimizer step', rows, stepRules, false),
      expected: { symbols: 0, lines, rules: stepRules.length },
    });
  }
  return charts;
}
