// Finishes a trunk build in dist/: puts the SHA-256 of trunk's inline loader script into the
// Content-Security-Policy, so the page runs without 'unsafe-inline' while still forbidding any other script.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

const dist = process.argv[2] ?? 'dist';
const indexPath = `${dist}/index.html`;
let html = await readFile(indexPath, 'utf8');

const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
if (inlineScripts.length === 0) throw new Error(`${indexPath}: no inline loader script found`);
const hashes = inlineScripts.map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);

html = html.replace(/script-src [^;"]*/, (directive) => {
  const kept = directive.split(' ').filter((token) => !token.startsWith("'sha256-"));
  return [...kept, ...hashes].join(' ');
});
await writeFile(indexPath, html);
console.log(`postbuild: ${inlineScripts.length} inline script(s) hashed into the CSP of ${indexPath}`);
