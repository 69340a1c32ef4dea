// Builds dist-offline/pe-configurator.html: one self-contained page (CSS, JS and the wasm inlined as
// base64) that works when opened by double-click from file:// with the network off, and a zip of dist/.
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
// The bindings are an ES module; inside an inline module script its exports are harmless, and
// init gets the wasm bytes directly, so nothing is fetched.
const bindings = readFileSync(`${dist}/${jsName}`, 'utf8');
const loader = `${bindings}
const pecfgWasmBytes = Uint8Array.from(atob(${JSON.stringify(wasmBase64)}), (c) => c.charCodeAt(0));
const pecfgWasm = await __wbg_init({ module_or_path: pecfgWasmBytes });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: pecfgWasm } }));
`;
const scriptHash = `'sha256-${createHash('sha256').update(loader, 'utf8').digest('base64')}'`;
const styleHash = `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
// No request at all is needed: connect-src 'none'.
const csp = `default-src 'none'; script-src 'wasm-unsafe-eval' ${scriptHash}; style-src ${styleHash}; img-src data: blob:; connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;

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
    <script type="module">${loader}</script>
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
