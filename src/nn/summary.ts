/**
 * model.summary() in the Keras 3 layout (keras/src/utils/summary_utils.py rendered by rich, as on
 * keras.io): a box-drawn table of layer (type), output shape and parameter count, then totals with
 * sizes in B/KB/MB. Columns are 31/22/13 characters wide with one space of padding; longer
 * cells wrap onto extra lines. A functional model that is not a plain chain adds Keras's
 * "Connected to" column: the table is then 19/17/10/17 wide (Keras's positions 0.3/0.56/0.74 of
 * 76 columns, narrowed by rich's ratio_reduce), and a word longer than its column is cut with "…"
 * (rich's default overflow).
 * Part of src/nn: imports nothing outside src/nn.
 */
import { formatFixed } from './progbar.ts';
export interface SummaryRow {
  name: string;
  type: string;
  /** "(None, 30, 30, 32)" or "?" */
  outputShape: string;
  /** Parameter count, or null when the layer is not built. */
  params: number | null;
  /** The "Connected to" cell ("conv2d[0][0], add[0][0]", or "-"), with {@link SummaryInput.connections}. */
  connectedTo?: string;
}

export interface SummaryInput {
  name: string;
  rows: SummaryRow[];
  trainable: number;
  nonTrainable: number;
  /** Optimizer slot parameters, when the optimizer is built. */
  optimizer?: number;
  /** Bytes per parameter (4 for float32). */
  bytesPerParam?: number;
  /** Whether to show the "Connected to" column (functional models that are not a plain chain). */
  connections?: boolean;
}

const WIDTHS = [31, 22, 13];
const WIDTHS_CONNECTED = [19, 17, 10, 17];

/** Keras's readable_memory_size. */
export function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  for (const u of units) {
    if (v / 1024 < 1) return `${formatFixed(v, 2)} ${u}`; // Python rounding: 1152 B is '1.12 KB'
    v /= 1024;
  }
  return `${formatFixed(v, 2)} PB`;
}

function withCommas(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Splits text into lines of at most `w` characters: words longer than `w` are folded, or with `ellipsis` kept on
 * their own line and cut to `w - 1` characters and "…".
 */
function wrap(text: string, w: number, ellipsis = false): string[] {
  if (text.length <= w) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= w) line = next;
    else {
      if (line) out.push(line);
      let rest = word;
      if (ellipsis && rest.length > w) {
        out.push(`${rest.slice(0, w - 1)}…`);
        rest = '';
      }
      while (rest.length > w) {
        out.push(rest.slice(0, w));
        rest = rest.slice(w);
      }
      line = rest;
    }
  }
  if (line) out.push(line);
  return out;
}

function row(cells: string[], right: boolean[], edge: string, widths: readonly number[], ellipsis: boolean): string[] {
  const wrapped = cells.map((c, i) => wrap(c, widths[i], ellipsis));
  const height = Math.max(...wrapped.map((w) => w.length));
  const lines: string[] = [];
  for (let k = 0; k < height; k++) {
    const parts = wrapped.map((w, i) => {
      const t = w[k] ?? '';
      return ` ${right[i] ? t.padStart(widths[i]) : t.padEnd(widths[i])} `;
    });
    lines.push(edge + parts.join(edge) + edge);
  }
  return lines;
}

function rule(l: string, fill: string, mid: string, r: string, widths: readonly number[]): string {
  return l + widths.map((w) => fill.repeat(w + 2)).join(mid) + r;
}

/** The summary text, one string with trailing newline. */
export function formatSummary(s: SummaryInput): string {
  const bpp = s.bytesPerParam ?? 4;
  const lines: string[] = [`Model: "${s.name}"`];
  const c = s.connections === true;
  const widths = c ? WIDTHS_CONNECTED : WIDTHS;
  const header = c ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const right = c ? [false, false, true, false] : [false, false, true];
  lines.push(rule('┏', '━', '┳', '┓', widths));
  lines.push(...row(header, right, '┃', widths, c));
  lines.push(rule('┡', '━', '╇', '┩', widths));
  s.rows.forEach((r, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤', widths));
    const params = r.params === null ? '0 (unbuilt)' : withCommas(r.params);
    const cells = [`${r.name} (${r.type})`, r.outputShape, params];
    if (c) cells.push(r.connectedTo ?? '-');
    lines.push(...row(cells, right, '│', widths, c));
  });
  lines.push(rule('└', '─', '┴', '┘', widths));
  const opt = s.optimizer ?? 0;
  const total = s.trainable + s.nonTrainable + opt;
  lines.push(` Total params: ${withCommas(total)} (${readableSize(total * bpp)})`);
  lines.push(` Trainable params: ${withCommas(s.trainable)} (${readableSize(s.trainable * bpp)})`);
  lines.push(` Non-trainable params: ${withCommas(s.nonTrainable)} (${readableSize(s.nonTrainable * bpp)})`);
  if (s.optimizer !== undefined) lines.push(` Optimizer params: ${withCommas(opt)} (${readableSize(opt * bpp)})`);
  return lines.join('\n') + '\n';
}
