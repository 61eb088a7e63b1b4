/**
 * Renders Vega-Lite specifications to SVG strings in Node with the `vega` and `vega-lite` packages (no browser, no
 * network): the page embeds the SVG, so it needs no script to show its charts. The packages are optional peer
 * dependencies of ditto-ml, loaded only by `ditto report`.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { ArgumentError } from '../../core/internal.ts';

interface VegaModules {
  compile(spec: unknown): { spec: unknown };
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void };
}

async function load(): Promise<VegaModules> {
  try {
    const [vl, vega] = await Promise.all([import('vega-lite' as string), import('vega' as string)]);
    return { compile: vl.compile, parse: vega.parse, View: vega.View };
  } catch (e) {
    throw new ArgumentError(`ditto report: the charts need the packages vega and vega-lite (npm install vega vega-lite). Received: ${(e as Error).message}`);
  }
}

/** Each spec rendered to an SVG string, in order. */
export async function renderSvgs(specs: readonly unknown[]): Promise<string[]> {
  const m = await load();
  const out: string[] = [];
  for (const spec of specs) {
    const view = new m.View(m.parse(m.compile(spec).spec), { renderer: 'none' });
    try {
      out.push(await view.toSVG());
    } finally {
      view.finalize();
    }
  }
  return out;
}
