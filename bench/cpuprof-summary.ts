/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. `npx tsx --cpu-prof --cpu-prof-dir /tmp/p
 * bench/host-overhead.ts --null-kernels`): self time per function (name, file:line) over the whole profile, or
 * under the functions whose name matches --under (e.g. `--under runFit`), the top --top rows, and the share of
 * (garbage collector) and (program) samples. Not part of `npm test`.
 * Usage: npx tsx bench/cpuprof-summary.ts FILE.cpuprofile [--top 40] [--under NAME]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const prof = JSON.parse(readFileSync(args[0], 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const TOP = Number(opt('top', '40'));
const UNDER = opt('under', '');
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inside = (id: number): boolean => {
  if (!UNDER) return true;
  for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) if (byId.get(p)!.callFrame.functionName === UNDER) return true;
  return false;
};
const self = new Map<string, number>();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  if (!inside(id)) return;
  const f = byId.get(id)!.callFrame;
  const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
console.log(`${(total / 1000).toFixed(0)} ms sampled${UNDER ? ` under ${UNDER}` : ''}`);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
}
