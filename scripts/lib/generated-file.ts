/**
 * The command-line end of a code generator (scripts/embed-shaders.ts, scripts/gen-cpu-broadcast.ts): writes the
 * generated text when it changed, or with --check exits 1 when the committed file is stale. One copy of that
 * logic for every generator; the freshness tests compare `generate()` with the file themselves.
 * Scripts may import anything; this one imports only node builtins.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** Whether the module at `metaUrl` is the script Node was started with. */
export function isMainScript(metaUrl: string): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

/** Writes `text` to `path` if it differs; with --check in argv, exits 1 instead when it differs. */
export function writeOrCheck(tool: string, path: string, text: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (current === text) return;
  if (process.argv.includes('--check')) {
    console.error(`${tool}: ${relative(ROOT, path)} is stale; run \`npx tsx scripts/${tool}.ts\``);
    process.exit(1);
  }
  writeFileSync(path, text);
  console.log(`${tool}: wrote ${path}`);
}
