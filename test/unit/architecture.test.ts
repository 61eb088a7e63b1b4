/**
 * Enforces the dependency rules of ../shared/guide/architecture.md §3.1 by reading every import and
 * export-from of src/ (comments, strings and template literals cannot fake one; multi-line imports
 * and `import type` are understood):
 *  - folders: core imports nothing from the other folders; kernels, nn and data import core only;
 *    the CPU and WebGPU backends never import each other; only the composition root (src/*.ts) sees all.
 *  - files: src/nn and src/data reach src/core only through its sibling surface, src/core/internal.ts
 *    (src/core/index.ts is the user surface, which the package entries re-export); nothing in src/
 *    imports the package entries (src/index.ts, src/advanced.ts); the checkpoint code imports no
 *    training code and not Sequential, not even their types: it depends on its own TrainingRun.
 *  - no import cycle among the files of src/. Counted are the imports that exist at run time:
 *    with verbatimModuleSyntax, `import type` and `export type` are erased, so they cannot make a
 *    module run before one it depends on, while `import { type X }` stays (as `import {}`) and
 *    counts. Type-only cycles are allowed: they are checked by the compiler, never run, and some are
 *    the design (Tensor's methods and a gradient's GradOps are typed by the ops, which take Tensors;
 *    the modules below tensor.ts that it uses see Tensor as a type). The failure names the files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../util/subprocess.ts';

const SRC = resolve(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(p) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

// ------------------------------------------------------------------ the import scanner

/**
 * `source` as code only: comments removed, template literals and regular expressions emptied,
 * string literals kept (module specifiers are strings). Enough of a lexer that nothing inside a
 * comment, a template or a regular expression can look like an import or open a string.
 */
function codeOnly(source: string): string {
  let out = '';
  let i = 0;
  let last = ''; // the last significant character written, to tell a regular expression from a division
  let word = ''; // the last word written (`return /re/` is a regular expression)
  const regexAfter = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);
  const emit = (s: string): void => {
    out += s;
    const t = s.trimEnd();
    if (t) {
      last = t[t.length - 1];
      const m = /[A-Za-z_$][\w$]*$/.exec(t);
      word = m ? m[0] : '';
    }
  };
  const quoted = (q: string): string => {
    let s = q;
    i++;
    while (i < source.length && source[i] !== q && source[i] !== '\n') {
      if (source[i] === '\\') s += source[i++];
      s += source[i++];
    }
    i++;
    return s + q;
  };
  const template = (): void => {
    i++; // the opening backtick
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') i += 2;
      else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        scan(true);
        i++; // the closing brace
      } else i++;
    }
    i++;
  };
  const regex = (): void => {
    let inClass = false;
    i++;
    while (i < source.length && source[i] !== '\n') {
      const c = source[i];
      if (c === '\\') i += 2;
      else {
        i++;
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
      }
    }
    while (/[a-z]/.test(source[i] ?? '')) i++; // flags
  };
  // Writes code until the end, or (inTemplate) until the brace that closes a template's `${`.
  const scan = (inTemplate: boolean): void => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      const d = source[i + 1];
      if (c === '/' && d === '/') {
        while (i < source.length && source[i] !== '\n') i++;
      } else if (c === '/' && d === '*') {
        const end = source.indexOf('*/', i + 2);
        i = end < 0 ? source.length : end + 2;
        out += ' ';
      } else if (c === '"' || c === "'") {
        emit(quoted(c));
      } else if (c === '`') {
        template();
        emit('``');
      } else if (c === '/' && (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last) || regexAfter.has(word))) {
        regex();
        emit('/(re)/');
      } else {
        if (inTemplate && c === '{') depth++;
        if (inTemplate && c === '}' && depth-- === 0) return;
        emit(c);
        i++;
      }
    }
  };
  scan(false);
  return out;
}

/** An import or export-from: its module specifier, and whether it is erased (`import type`, `export type`). */
interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

/** Every import, export-from, side-effect import and dynamic import() of `source`, in order. */
function imports(source: string): ImportRef[] {
  const code = codeOnly(source);
  const found: { at: number; ref: ImportRef }[] = [];
  const fromClause = /(?:^|[;}\n])\s*(import|export)\s+(type\s+)?([\w$*{},\s]*?)\s*from\s*(['"])([^'"\n]+)\4/g;
  for (const m of code.matchAll(fromClause)) found.push({ at: m.index, ref: { spec: m[5], typeOnly: !!m[2] } });
  const bare = /(?:^|[;}\n])\s*import\s*(['"])([^'"\n]+)\1/g;
  for (const m of code.matchAll(bare)) found.push({ at: m.index, ref: { spec: m[2], typeOnly: false } });
  const dynamic = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
  for (const m of code.matchAll(dynamic)) found.push({ at: m.index, ref: { spec: m[2], typeOnly: false } });
  return found.sort((a, b) => a.at - b.at).map((f) => f.ref);
}

/** The file a relative specifier of `from` names (a `.js` specifier may name a `.ts` file). */
function target(from: string, spec: string): string {
  const p = resolve(dirname(from), spec);
  if (!existsSync(p) && p.endsWith('.js') && existsSync(p.replace(/\.js$/, '.ts'))) return p.replace(/\.js$/, '.ts');
  return p;
}

/** Repository-relative path, for messages. */
const rel = (f: string): string => relative(ROOT, f);

// ------------------------------------------------------------------ cycles

type Graph = Map<string, string[]>;

/**
 * The cycles of `graph`: each strongly connected component with more than one file (or a file
 * importing itself), as one concrete cycle through it (first file repeated at the end) and all its files.
 */
function findCycles(graph: Graph): { cycle: string[]; files: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || graph.get(v)!.includes(v)) components.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((members) => {
    // The shortest path from the component's first file back to it, inside the component.
    const inside = new Set(members);
    const start = members[0];
    const prev = new Map<string, string>();
    const queue = [start];
    let end: string | undefined;
    while (queue.length && end === undefined) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (w === start) {
          end = v;
          break;
        }
        if (inside.has(w) && !prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = end!; v !== start; v = prev.get(v)!) path.splice(1, 0, v);
    return { cycle: [...path, start], files: members };
  });
}

/** File -> the files it imports under src/ (`runtimeOnly`: leaving out `import type`/`export type`). */
function importGraph(all: readonly string[], runtimeOnly: boolean): Graph {
  const graph: Graph = new Map();
  for (const f of all) {
    const to = imports(readFileSync(f, 'utf8'))
      .filter((r) => r.spec.startsWith('.') && !(runtimeOnly && r.typeOnly))
      .map((r) => target(f, r.spec))
      .filter((t) => t.startsWith(SRC + '/'));
    graph.set(f, [...new Set(to)]);
  }
  return graph;
}

function describeCycles(cycles: { cycle: string[]; files: string[] }[]): string {
  return cycles.map((c) => `import cycle of ${c.files.length} files: ${c.cycle.map(rel).join(' -> ')}\n  all files of this cycle group: ${c.files.map(rel).join(', ')}`).join('\n');
}

// ------------------------------------------------------------------ folder rules

/** The layer a file under src/ belongs to. */
function layer(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === 'kernels') return `kernels/${parts[1]}`;
  return parts.length === 1 ? 'root' : parts[0];
}

const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  'kernels/cpu': ['core', 'kernels/cpu'],
  'kernels/webgpu': ['core', 'kernels/webgpu'],
  nn: ['core', 'nn'],
  data: ['core', 'data'],
  cli: ['core', 'nn', 'cli'],
};

describe('dependency direction', () => {
  const all = files(SRC);

  it('finds the source tree', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  for (const file of all) {
    const from = layer(file);
    if (from === 'root') continue;
    it(rel(file), () => {
      const allowed = ALLOWED[from];
      expect(allowed, `unknown layer ${from}`).toBeDefined();
      for (const { spec } of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue; // packages and node: builtins are checked below
        const to = target(file, spec);
        expect(to.startsWith(SRC), `${spec} leaves src/`).toBe(true);
        expect(allowed, `${rel(file)} (${from}) imports ${spec} (${layer(to)})`).toContain(layer(to));
      }
    });
  }

  it('core imports no npm package', () => {
    for (const file of all.filter((f) => layer(f) === 'core')) {
      for (const { spec } of imports(readFileSync(file, 'utf8'))) {
        expect(spec.startsWith('.') || spec.startsWith('node:'), `${rel(file)} imports ${spec}`).toBe(true);
      }
    }
  });
});

// ------------------------------------------------------------------ file rules

describe('file rules', () => {
  const all = files(SRC);
  const CORE_SURFACE = join(SRC, 'core/internal.ts');
  const ENTRIES = [join(SRC, 'index.ts'), join(SRC, 'advanced.ts')];
  /** [importing file, imported file, import] for every relative import of src/, type-only ones included. */
  const edges = all.flatMap((f) => imports(readFileSync(f, 'utf8')).filter((r) => r.spec.startsWith('.')).map((r) => [f, target(f, r.spec), r.spec] as const));
  /** Fails naming every import of `bad`. */
  const expectNone = (bad: readonly (readonly [string, string, string])[]): void => {
    const lines = bad.map(([f, , s]) => `${rel(f)} imports ${s}`);
    expect(lines, `${lines.length} forbidden imports:\n${lines.join('\n')}`).toEqual([]);
  };

  it('src/nn and src/data import src/core only through src/core/internal.ts', () => {
    const bad = edges.filter(([f, t]) => (layer(f) === 'nn' || layer(f) === 'data') && layer(t) === 'core' && t !== CORE_SURFACE);
    expectNone(bad);
  });

  it('src/core/internal.ts is the siblings\' surface: no file of src/core imports it', () => {
    const bad = edges.filter(([f, t]) => layer(f) === 'core' && t === CORE_SURFACE);
    expectNone(bad);
  });

  it('nothing in src/ imports the package entries (src/index.ts, src/advanced.ts)', () => {
    const bad = edges.filter(([, t]) => ENTRIES.includes(t));
    expectNone(bad);
  });

  it('the checkpoint code imports no training code and not Sequential (not even types)', () => {
    const training = (t: string): boolean => t.startsWith(join(SRC, 'nn/training') + '/') || t === join(SRC, 'nn/sequential.ts');
    const bad = edges.filter(([f, t]) => f.startsWith(join(SRC, 'nn/checkpoint') + '/') && training(t));
    expectNone(bad);
  });
});

// ------------------------------------------------------------------ cycles

describe('import cycles', () => {
  const all = files(SRC);

  it('no cycle of run-time imports among the files of src/', () => {
    const cycles = findCycles(importGraph(all, true));
    expect(cycles.length, describeCycles(cycles)).toBe(0);
  });

  it('type-only cycles (allowed) are listed', () => {
    const cycles = findCycles(importGraph(all, false));
    console.log(`cycle groups counting type-only imports: ${cycles.length}${cycles.length ? `\n${describeCycles(cycles)}` : ''}`);
    expect(cycles.every((c) => c.files.length > 1)).toBe(true);
  });

  it('the cycle check finds and names a cycle (self-check)', () => {
    const g: Graph = new Map([
      ['a', ['b']], ['b', ['c', 'd']], ['c', ['a']], ['d', []], ['e', ['e']], ['f', ['d']],
    ]);
    expect(findCycles(g)).toEqual([
      { cycle: ['a', 'b', 'c', 'a'], files: ['a', 'b', 'c'] },
      { cycle: ['e', 'e'], files: ['e'] },
    ]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });
});

describe('the import scanner (self-check)', () => {
  it('sees every kind of import, multi-line ones and type-only ones, and nothing in comments, templates or regexps', () => {
    const source = [
      "import { a } from './x.ts';",
      "export * from '../y.ts';",
      "import './z.ts';",
      'import {',
      '  b,',
      '  type C,',
      "} from './multi.ts';",
      "import type { D } from './types.ts';",
      "export type { E } from './etypes.ts';",
      "import type * as Ns from './ns.ts';",
      "export * as ops from './ops.ts';",
      "import F, { type G } from './mixed.ts';",
      "// import { no } from './line-comment.ts';",
      "/* import { no } from './block-comment.ts'; */",
      "const s = `import { no } from './template.ts' ${`nested ${\"'\"}`}`;",
      'const r = /[\'"]/g; const q = x / 2 / y;',
      "const t = 'it\\'s not an import from \"./string.ts\"';",
      "const m = await import('./dynamic.ts');",
      "export { h } from './last.ts';",
    ].join('\n');
    expect(imports(source)).toEqual([
      { spec: './x.ts', typeOnly: false },
      { spec: '../y.ts', typeOnly: false },
      { spec: './z.ts', typeOnly: false },
      { spec: './multi.ts', typeOnly: false },
      { spec: './types.ts', typeOnly: true },
      { spec: './etypes.ts', typeOnly: true },
      { spec: './ns.ts', typeOnly: true },
      { spec: './ops.ts', typeOnly: false },
      { spec: './mixed.ts', typeOnly: false },
      { spec: './dynamic.ts', typeOnly: false },
      { spec: './last.ts', typeOnly: false },
    ]);
  });
});
