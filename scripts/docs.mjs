#!/usr/bin/env node
/**
 * `npm run docs`: generates the API reference into docs/api/ with TypeDoc (typedoc.json), validating as it goes:
 * every exported symbol and public member must have a doc comment, every {@link} must resolve, and every type a
 * public signature mentions must be documented too. Any warning fails the run (exit code 1).
 *
 * TypeDoc needs the TypeScript 5/6 compiler API, which the project's TypeScript 7 compiler does not provide, so
 * TypeDoc and TypeScript 6 live in their own local package, tools/docs (installed by the root's `npm ci`).
 * The guides in docs/*.md are part of the site (typedoc.json's readme and projectDocuments; this script checks that
 * every one is listed), so TypeDoc checks their relative links too; afterwards this script checks the relative links
 * of the front page, README.md, which TypeDoc does not read. tools/docs/typedoc-plugin.mjs lets the guides link to
 * the reference as `api/index.html`.
 * Plain JavaScript so that it runs with Node alone. Extra arguments are passed on to TypeDoc
 * (e.g. `npm run docs -- --logLevel Verbose`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = join(root, 'tools', 'docs', 'node_modules', 'typedoc', 'bin', 'typedoc');

if (!existsSync(typedoc)) {
  console.error(
    'docs: TypeDoc is not installed (tools/docs/node_modules/typedoc is missing).\n' +
    'Run `npm ci` in the repository root: it installs tools/docs (TypeDoc and TypeScript 6) as a local dev dependency.',
  );
  process.exit(1);
}

// Every guide in docs/ must be in the site: a page missing from projectDocuments would be copied as a raw file.
const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8'));
const listed = new Set([config.readme, ...config.projectDocuments]);
const unlisted = readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md') && !listed.has(`docs/${n}`));
if (unlisted.length) {
  console.error(`docs: add ${unlisted.map((n) => `docs/${n}`).join(', ')} to projectDocuments in typedoc.json`);
  process.exit(1);
}

const started = Date.now();
const r = spawnSync(process.execPath, [typedoc, '--options', join(root, 'typedoc.json'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (r.error) {
  console.error(`docs: could not start TypeDoc: ${r.error.message}`);
  process.exit(1);
}
if (r.status !== 0) {
  console.error(`docs: TypeDoc failed (exit ${r.status ?? r.signal}); every warning counts as an error (typedoc.json)`);
  process.exit(1);
}

// README.md: every relative Markdown link must name an existing file (anchors are not checked).
const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '');
const broken = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
  .map((m) => m[1])
  .filter((link) => !/^[a-z][a-z0-9+.-]*:|^#/i.test(link))
  .filter((link) => !existsSync(join(root, decodeURI(link.replace(/#.*/, '')))));
if (broken.length) {
  console.error(`docs: README.md links to files that do not exist: ${broken.join(', ')}`);
  process.exit(1);
}
console.log(`docs: docs/api/index.html written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
