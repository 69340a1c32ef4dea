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
 * A wasm-bindgen glue file with its snippet imports (`inline_js`, trunk's `snippets/`) written in
 * place, so the inline module fetches nothing: each snippet runs in its own function scope and
 * hands back what the glue imports from it.
 */
function withSnippetsInlined(glue) {
  const inlined = glue.replace(/^import \{([^}]*)\} from '\.\/(snippets\/[^']+)';$/gm, (_, names, path) => {
    const source = readFileSync(`${dist}/${path}`, 'utf8').replace(/^export /gm, '');
    const bindings = names.split(',').map((name) => name.trim()).filter(Boolean);
    const exported = bindings.map((binding) => binding.split(/\s+as\s+/)[0]);
    const locals = bindings.map((binding) => binding.replace(/\s+as\s+/, ': '));
    return `const { ${locals.join(', ')} } = (() => {\n${source}\nreturn { ${exported.join(', ')} };\n})();`;
  });
  const left = inlined.match(/^import .*$/m);
  if (left) throw new Error(`the bindings import something that cannot be inlined: ${left[0]}`);
  return inlined;
}

// The bindings are an ES module; inside an inline module script its exports are harmless, and
// init gets the wasm bytes directly, so nothing is fetched.
const bindings = withSnippetsInlined(readFileSync(`${dist}/${jsName}`, 'utf8'));
const loader = `${bindings}
const pecfgWasmBytes = Uint8Array.from(atob(${JSON.stringify(wasmBase64)}), (c) => c.charCodeAt(0));
const pecfgWasm = await __wbg_init({ module_or_path: pecfgWasmBytes });
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
  const provider = `${withSnippetsInlined(readFileSync(`${dist}/${files.js}`, 'utf8'))}
let pecfgModuleLoad;
(globalThis.pecfgModuleProviders ??= {})[${JSON.stringify(key)}] = () =>
  (pecfgModuleLoad ??= (async () => {
    const text = document.getElementById(${JSON.stringify(id)}).textContent.trim();
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    await __wbg_init({ module_or_path: bytes });
    return { call };
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
