import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The classic scripts index.html runs before the bundle (theme.js, early.js) are not modules, so Vite copies them
 * from public/ under their own names, and the node revalidates such files on every load: a returning browser waited
 * one round trip before running them, and early.js's requests waited with it. The build also emits each as
 * assets/<name>-<hash>.js, which the node caches for a year, and points index.html at that copy. `npm run dev`
 * serves them from public/ unchanged.
 */
export function hashedClassicScripts(publicDir: string, names: readonly string[]): Plugin {
  const copies = new Map<string, { fileName: string; source: string }>();
  return {
    name: 'steward-hashed-classic-scripts',
    apply: 'build',
    buildStart() {
      for (const name of names) {
        const source = readFileSync(join(publicDir, name), 'utf8');
        copies.set(name, { fileName: hashedName(name, source), source });
      }
    },
    generateBundle() {
      for (const { fileName, source } of copies.values()) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler: (html) => pointAt(html, new Map([...copies].map(([name, copy]) => [name, copy.fileName]))),
    },
  };
}

/** assets/<base>-<10 hex digits of the content's SHA-256>.js: a new content gets a new name. */
export function hashedName(name: string, source: string): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  return `assets/${name.replace(/\.js$/, '')}-${hash}.js`;
}

/** index.html with each `<script src="/name">` pointing at its hashed copy; a name it does not load fails the build. */
export function pointAt(html: string, copies: ReadonlyMap<string, string>): string {
  let result = html;
  for (const [name, fileName] of copies) {
    const reference = `<script src="/${name}"></script>`;
    if (!result.includes(reference)) {
      throw new Error(`index.html does not load ${name} as ${reference}: the hashed copy would never be used`);
    }
    result = result.replace(reference, `<script src="/${fileName}"></script>`);
  }
  return result;
}
