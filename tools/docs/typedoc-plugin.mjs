/**
 * A TypeDoc plugin for `npm run docs` (loaded through typedoc.json's `plugin`): lets the guides in docs/*.md, which
 * TypeDoc includes as project documents, link to the generated API reference the way a reader of the Markdown files
 * needs it, as `api/index.html`.
 *
 * docs/api/ is TypeDoc's own output, so when TypeDoc reads the guides that file is stale or missing: TypeDoc would
 * either report a broken relative link or copy the stale page into the site as a media file. This plugin makes a
 * relative link to `<out>/index.html` resolve to the project itself, i.e. to the site's index page. Every other
 * relative link is resolved and validated by TypeDoc as usual.
 * It also names each guide after its first `# ` heading (TypeDoc would use the file name, or YAML front matter, which
 * GitHub shows as a table), so the site's navigation reads "Getting started" rather than "getting-started".
 * Plain JavaScript with no imports of TypeDoc's, so it runs against the TypeDoc that tools/docs pins.
 */
import { dirname, resolve } from 'node:path';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on('begin', (context) => {
    const project = context.project;
    const files = project.files;
    const apiIndex = resolve(app.options.getValue('out'), 'index.html');
    const register = files.register.bind(files);
    files.register = (sourcePath, relativePath) => {
      const [path, anchor] = relativePath.split('#', 2);
      if (resolve(dirname(sourcePath), path) === apiIndex) {
        files.registerReflectionPath(apiIndex, project);
        return { target: files.registerAbsolute(apiIndex).target, anchor };
      }
      return register(sourcePath, relativePath);
    };
  });
  app.converter.on('resolveBegin', (context) => {
    for (const refl of Object.values(context.project.reflections)) {
      if (!refl.isDocument()) continue;
      // The first line of the Markdown, across the text and `code` parts TypeDoc splits it into.
      const line = refl.content.map((part) => part.text).join('').split('\n', 1)[0];
      const title = /^#[ \t]+(.+)$/.exec(line);
      if (title) refl.name = title[1].replace(/`/g, '').trim();
    }
  });
}
