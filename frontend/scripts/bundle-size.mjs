// Gzip size of what the dashboard's index.html loads before anything lazy: its scripts, stylesheets and
// modulepreloads. Prints one JSON line. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../target/classes/steward/ui/', import.meta.url).pathname;
const html = readFileSync(join(root, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let raw = 0;
let gzip = 0;
const detail = {};
for (const file of files) {
  const bytes = readFileSync(join(root, file));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  detail[file] = zipped;
}
console.log(JSON.stringify({ initialFiles: files.length, rawBytes: raw, gzipBytes: gzip, gzipKiB: +(gzip / 1024).toFixed(1), files: detail }));
