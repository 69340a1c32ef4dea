// Finishes a trunk build in dist/:
// 0. Minifies the wasm-bindgen glue of both programs (the app's, its `inline_js` snippets, and each
//    lazy module's) with terser (package.json pins its version, so the same input gives the same
//    bytes). The app's glue keeps the name trunk gave it (a hash of the unminified glue, which the
//    minified bytes follow one to one), and every `integrity` attribute trunk wrote is computed
//    again from the bytes now in dist/. Exported names are kept: trunk's loader, the lazy loader
//    (src/capability.rs) and build-single-file.mjs read them.
//    index.html's own comments (notes for whoever edits it) are left out of the shipped page.
// 1. The lazy modules (index.html's `data-type="worker"` rust links, loaded by src/capability.rs):
//    trunk writes them as `<bin>.js` and `<bin>_bg.wasm`, unhashed and named nowhere. Each file is
//    renamed with a hash of its content (`pecfg-tools-<hash>.js`, `pecfg-tools-<hash>.wasm`: no
//    `_bg`, so the app's wasm stays the one `*_bg.wasm`), so a server may cache them for good,
//    and the page is told where they are in a non-executed JSON data block,
//    `<script type="application/json" id="pecfg-modules">` (no inline code, nothing for the CSP).
// 2. Puts the SHA-256 of trunk's inline loader script into the Content-Security-Policy, so the page
//    runs without 'unsafe-inline' while still forbidding any other script. Data blocks are not
//    scripts: they are not hashed.
// 3. The catalog (trunk's pre-build hook writes dist/catalog/<chart>.json and platform.json, see
//    Trunk.toml; src/catalog.rs fetches a chart's file when it is first shown): each file renamed
//    with a hash of its content, named in `<script type="application/json" id="pecfg-catalog">`,
//    and platform.json (every form reads it) preloaded. So is the chart the page will open first
//    (the address's `?chart=`, else the one shown last, as src/app.rs decides): a small inline
//    script, hashed into the CSP with trunk's loader, adds its preload while the page is parsed,
//    so the chart's file arrives with the wasm instead of one round trip after the app starts.
//    It reads the file's name from the catalog block only, never from the address.
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { minify } from 'terser';

const dist = process.argv[2] ?? 'dist';
const indexPath = `${dist}/index.html`;
let html = await readFile(indexPath, 'utf8');

// Key in the data block → the cargo bin trunk built.
const LAZY_MODULES = { tools: 'pecfg-tools' };

if (html.includes('id="pecfg-modules"')) throw new Error(`${indexPath}: already post-built`);

// ES modules all (wasm-bindgen `--target web` and its snippets): top-level names may be mangled,
// exported ones stay.
const TERSER = { module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } };
async function minifyFile(path) {
  const source = await readFile(path, 'utf8');
  const { code } = await minify(source, TERSER);
  await writeFile(path, code);
  return { path, from: Buffer.byteLength(source), to: Buffer.byteLength(code) };
}
async function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.js')).map((entry) => `${entry.parentPath}/${entry.name}`);
}
// The app's glue: what trunk's loader imports.
const appGlue = html.match(/^import init, \* as bindings from '\.\/([^']+\.js)';$/m);
if (!appGlue) throw new Error(`${indexPath}: trunk's loader imports no glue`);
const minified = [];
for (const path of [`${dist}/${appGlue[1]}`, ...(await filesUnder(`${dist}/snippets`)),
  ...Object.values(LAZY_MODULES).map((bin) => `${dist}/${bin}.js`).filter(existsSync)]) {
  minified.push(await minifyFile(path));
}
// Comments outside scripts (none is in trunk's loader; a script's text is left as it is).
html = html.replace(/(<script\b[\s\S]*?<\/script>)|<!--[\s\S]*?-->/g, (match, script) => script ?? '');
// Subresource integrity of every file trunk links, from its bytes now.
html = html.replace(/(<link\b[^>]*?\bhref="\.\/([^"]+)"[^>]*?\bintegrity=")(sha(?:256|384|512))-[^"]*"/g,
  (_, head, file, algorithm) => {
    const digest = createHash(algorithm).update(readFileSync(`${dist}/${file}`)).digest('base64');
    return `${head}${algorithm}-${digest}"`;
  });

const contentHash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const modules = {};
for (const [key, bin] of Object.entries(LAZY_MODULES)) {
  const files = {};
  for (const [kind, built, extension] of [['js', `${bin}.js`, 'js'], ['wasm', `${bin}_bg.wasm`, 'wasm']]) {
    const path = `${dist}/${built}`;
    if (!existsSync(path)) throw new Error(`${path}: trunk built no ${key} module (index.html's rel="rust" link for ${bin})`);
    const name = `${bin}-${contentHash(await readFile(path))}.${extension}`;
    await rename(path, `${dist}/${name}`);
    files[kind] = name;
  }
  modules[key] = files;
}
// `<` is escaped so no file name could close the element; JSON.parse reads it back as is.
const block = `<script type="application/json" id="pecfg-modules">${JSON.stringify(modules).replace(/</g, '\\u003c')}</script>`;
html = html.replace('</head>', `\n    ${block}\n  </head>`);

const catalogDir = `${dist}/catalog`;
if (!existsSync(`${catalogDir}/platform.json`)) throw new Error(`${catalogDir}: no catalog files (Trunk.toml's pre_build hook)`);
const catalog = {};
for (const file of (await readdir(catalogDir)).filter((name) => /^[a-z0-9-]+\.json$/.test(name)).sort()) {
  const hashed = file.replace(/\.json$/, `-${contentHash(await readFile(`${catalogDir}/${file}`))}.json`);
  await rename(`${catalogDir}/${file}`, `${catalogDir}/${hashed}`);
  catalog[file] = `catalog/${hashed}`;
}
const catalogBlock = `<script type="application/json" id="pecfg-catalog">${JSON.stringify(catalog).replace(/</g, '\\u003c')}</script>`;
const preload = `<link rel="preload" href="${catalog['platform.json']}" as="fetch" crossorigin="anonymous" />`;
// As src/app.rs opens a chart: the address's, if the catalog names it, else the one shown last
// (`pecfg.chart`, src/persistence.rs's LAST_CHART); storage a sandbox refuses is skipped.
const chartPreload = `<script>(()=>{try{const c=JSON.parse(document.getElementById("pecfg-catalog").textContent);const f=(i)=>i&&i!=="platform"&&Object.hasOwn(c,i+".json")&&typeof c[i+".json"]==="string"?c[i+".json"]:null;let h=f(new URLSearchParams(location.search).get("chart"));if(!h)try{h=f(localStorage.getItem("pecfg.chart"))}catch{}if(h){const l=document.createElement("link");l.rel="preload";l.as="fetch";l.crossOrigin="anonymous";l.href=h;document.head.append(l)}}catch{}})()</script>`;
html = html.replace('</head>', `    ${catalogBlock}\n    ${preload}\n    ${chartPreload}\n  </head>`);

const isDataBlock = (attributes) => /\btype\s*=\s*["']?application\/json\b/i.test(attributes);
const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)]
  .filter((match) => !isDataBlock(match[1]))
  .map((match) => match[2]);
if (inlineScripts.length === 0) throw new Error(`${indexPath}: no inline loader script found`);
const hashes = inlineScripts.map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);

html = html.replace(/script-src [^;"]*/, (directive) => {
  const kept = directive.split(' ').filter((token) => !token.startsWith("'sha256-"));
  return [...kept, ...hashes].join(' ');
});
await writeFile(indexPath, html);
const glue = minified.map(({ path, from, to }) => `${path.slice(dist.length + 1)} ${from} → ${to}`).join(', ');
console.log(`postbuild: glue minified (bytes: ${glue}); lazy modules ${JSON.stringify(modules)}; ${inlineScripts.length} inline script(s) hashed into the CSP of ${indexPath}`);
