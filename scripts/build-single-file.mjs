// Builds dist-offline/pe-configurator.html: one self-contained page (CSS, JS and the wasm inlined as
// base64, the lazy modules too) that works when opened by double-click from file:// with the network off, and a zip of dist/.
// Input: a finished release build in dist/ (scripts/build-release.sh).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const dist = process.argv[2] ?? 'dist';
const out = process.argv[3] ?? 'dist-offline';
const files = readdirSync(dist).filter((file) => file !== 'pe-configurator-offline.html');
const pick = (pattern) => {
  const name = files.find((file) => pattern.test(file));
  if (!name) throw new Error(`${dist}: no file matches ${pattern}`);
  return name;
};
const jsName = pick(/^pe-configurator-.*\.js$/);
const wasmName = pick(/^pe-configurator-.*_bg\.wasm$/);
const cssName = pick(/^main-.*\.css$/);
const iconName = pick(/^favicon-.*\.svg$/);

const css = readFileSync(`${dist}/${cssName}`, 'utf8');
const wasmBase64 = readFileSync(`${dist}/${wasmName}`).toString('base64');
const icon = readFileSync(`${dist}/${iconName}`).toString('base64');

/**
 * What an ES module exports, as `exported name → local name`: `export function f`, `export class C`,
 * `export const x` and `export { a as b }` lists. The glue is minified (postbuild.mjs), so its
 * local names are terser's; what it exports keeps its name.
 */
function exportsOf(source) {
  const names = new Map();
  for (const [, name] of source.matchAll(/(?:^|[;{}\s])export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s*([\w$]+)/g)) {
    names.set(name, name);
  }
  for (const [, list] of source.matchAll(/(?:^|[;{}\s])export\s*\{([^}]*)\}/g)) {
    for (const entry of list.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [local, exported = local] = entry.split(/\s+as\s+/);
      names.set(exported, local);
    }
  }
  return names;
}

/** The module's code with its `export` keywords and lists removed, and what it exported. */
function withoutExports(source) {
  const names = exportsOf(source);
  const code = source
    .replace(/(^|[;{}\s])export\s*\{[^}]*\};?/g, '$1')
    .replace(/(^|[;{}\s])export\s+((?:async\s+)?(?:function|class|const|let|var)\b)/g, '$1$2');
  return { code, names };
}

/**
 * A wasm-bindgen glue file with its snippet imports (`inline_js`, trunk's `snippets/`) written in
 * place, so the inline module fetches nothing: each snippet runs in its own function scope and
 * hands back what the glue imports from it. Minified or not: `import{a as b}from"./snippets/…";`.
 */
function withSnippetsInlined(glue) {
  // The lookbehind leaves the `;` before an import alone: the import before it may have taken its own.
  const inlined = glue.replace(/(?<=^|[;}\s])import\s*\{([^}]*)\}\s*from\s*(["'])\.\/(snippets\/[^"']+)\2;?/g, (_, names, quote, path) => {
    const { code, names: exported } = withoutExports(readFileSync(`${dist}/${path}`, 'utf8'));
    const bindings = names.split(',').map((name) => name.trim()).filter(Boolean).map((binding) => {
      const [imported, local = imported] = binding.split(/\s+as\s+/);
      if (!exported.has(imported)) throw new Error(`${path} does not export ${imported}`);
      return `${exported.get(imported)}: ${local}`;
    });
    return `const { ${bindings.join(', ')} } = (() => {\n${code}\nreturn { ${[...exported.values()].join(', ')} };\n})();\n`;
  });
  // A static import left (dynamic `import(` and `import.meta` are fine in an inline module).
  const left = inlined.match(/(?:^|[;}\s])import\s*(?:[{*"']|[\w$]+\s*(?:,|from\b))/);
  if (left) throw new Error(`the bindings import something that cannot be inlined: ${inlined.slice(left.index, left.index + 80)}`);
  return inlined;
}

/** `local` for the module's export `name`, or an error naming the file. */
function exported(glue, name, file) {
  const local = exportsOf(glue).get(name);
  if (!local) throw new Error(`${file}: the glue exports no ${name}`);
  return local;
}

// The bindings are an ES module; inside an inline module script its exports are harmless, and
// init (its default export) gets the wasm bytes directly, so nothing is fetched.
const bindings = withSnippetsInlined(readFileSync(`${dist}/${jsName}`, 'utf8'));
const loader = `${bindings}
const pecfgWasmBytes = Uint8Array.from(atob(${JSON.stringify(wasmBase64)}), (c) => c.charCodeAt(0));
const pecfgWasm = await ${exported(bindings, 'default', jsName)}({ module_or_path: pecfgWasmBytes });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: pecfgWasm } }));
`;

// The lazy modules (src/capability.rs), named by postbuild.mjs's data block: each one's glue in its
// own inline module that registers a provider on globalThis.pecfgModuleProviders instead of being
// imported, and its wasm as base64 in a data block (not executed, so outside the CSP), decoded
// and instantiated the first time the app asks for it. They come before the app's loader, so a
// provider is there before the app could ask.
const served = readFileSync(`${dist}/index.html`, 'utf8');
const modulesBlock = served.match(/<script type="application\/json" id="pecfg-modules">([^<]*)<\/script>/);
if (!modulesBlock) throw new Error(`${dist}/index.html: no pecfg-modules block (scripts/postbuild.mjs)`);
const lazyModules = Object.entries(JSON.parse(modulesBlock[1])).map(([key, files]) => {
  if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new Error(`lazy module key ${JSON.stringify(key)}`);
  const id = `pecfg-module-${key}`;
  const glue = withSnippetsInlined(readFileSync(`${dist}/${files.js}`, 'utf8'));
  // What `import()` of the glue resolves to: its exports by name.
  const namespace = [...exportsOf(glue)].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  const provider = `${glue}
let pecfgModuleLoad;
(globalThis.pecfgModuleProviders ??= {})[${JSON.stringify(key)}] = () =>
  (pecfgModuleLoad ??= (async () => {
    const text = document.getElementById(${JSON.stringify(id)}).textContent.trim();
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    await ${exported(glue, 'default', files.js)}({ module_or_path: bytes });
    return { ${namespace} };
  })().catch((error) => {
    pecfgModuleLoad = undefined;
    throw error;
  }));
`;
  const data = `<script type="application/octet-stream" id="${id}" data-encoding="base64">${readFileSync(`${dist}/${files.wasm}`).toString('base64')}</script>`;
  return { provider, data };
});

// The catalog (src/catalog.rs reads a chart's file from its data block before it would fetch it):
// every chart and the platform file, each a non-executed JSON block.
const catalogBlock = served.match(/<script type="application\/json" id="pecfg-catalog">([^<]*)<\/script>/);
if (!catalogBlock) throw new Error(`${dist}/index.html: no pecfg-catalog block (scripts/postbuild.mjs)`);
const catalogData = Object.entries(JSON.parse(catalogBlock[1])).map(([name, path]) => {
  if (!/^[a-z0-9-]+\.json$/.test(name)) throw new Error(`catalog file name ${JSON.stringify(name)}`);
  const text = readFileSync(`${dist}/${path}`, 'utf8').replace(/</g, '\\u003c');
  return `<script type="application/json" id="pecfg-catalog-${name}">${text}</script>`;
});

for (const script of [...lazyModules.map(({ provider }) => provider), loader]) {
  if (/<\/script|<!--/i.test(script)) throw new Error('an inlined script holds "</script" or "<!--", which would end or change its element');
}
const scriptHashes = [...lazyModules.map(({ provider }) => provider), loader]
  .map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`)
  .join(' ');
const styleHash = `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
// No request at all is needed: connect-src 'none'.
const csp = `default-src 'none'; script-src 'wasm-unsafe-eval' ${scriptHashes}; style-src ${styleHash}; img-src data: blob:; connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;

const html = `<!DOCTYPE html>
<html lang="en" data-offline="1">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="Content-Security-Policy" content="${csp}" />
    <meta name="color-scheme" content="light dark" />
    <title>pe-configurator (offline)</title>
    <link rel="icon" href="data:image/svg+xml;base64,${icon}" />
    <style>${css}</style>
${catalogData.map((block) => `    ${block}\n`).join('')}${lazyModules.map(({ provider, data }) => `    ${data}\n    <script type="module">${provider}</script>\n`).join('')}    <script type="module">${loader}</script>
  </head>
  <body></body>
</html>
`;
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/pe-configurator.html`, html);
// The served site offers this file as "Download offline copy".
writeFileSync(`${dist}/pe-configurator-offline.html`, html);
// python3's zipfile is on every machine of this project; the zip holds the dist/ folder as it is.
execFileSync('python3', ['-m', 'zipfile', '-c', `${out}/pe-configurator-dist.zip`, dist]);
console.log(`single file: ${out}/pe-configurator.html (${html.length} bytes); zip: ${out}/pe-configurator-dist.zip`);
