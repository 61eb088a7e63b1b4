/** Order statistics for timings (linear interpolation between closest ranks). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (v: readonly number[]) => quantile(v, 0.5);

export function summarize(v: readonly number[]): { median: number; p10: number; p90: number; min: number; n: number } {
  return { median: median(v), p10: quantile(v, 0.1), p90: quantile(v, 0.9), min: v.length ? Math.min(...v) : NaN, n: v.length };
}

/** A number with about 3 significant digits (for tables). */
export function fmt(x: number | undefined | null, digits = 3): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 10 ** digits) return x.toFixed(0);
  if (a === 0) return '0';
  const d = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return x.toFixed(Math.min(d, 6));
}

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  return [line(header), '| ' + w.map((n, i) => (i === 0 ? '-'.repeat(n) : '-'.repeat(n - 1) + ':')).join(' | ') + ' |', ...rows.map(line)].join('\n');
}
