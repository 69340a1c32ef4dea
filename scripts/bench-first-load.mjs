// `make bench`'s first-load and lazy-module figures (issue 26; prints numbers, asserts nothing):
// what the page fetches before the form is interactive, by file, brotli -q 11; what each lazy
// module weighs; navigation → form interactive; the time from the click that first needs a lazy
// capability to its first output, cold; and memory, after load and after that first use, counted
// over every wasm instance of the page (the app's, and a lazy module's once loaded).
//
// Each run is a fresh browser context (cold: no HTTP cache, no module map, no wasm code cache) on
// `?chart=ixn`: the page loads; once it says it is interactive (the same definition as
// bench-keystrokes.mjs and bench-startup.mjs: the form's first field is in the page and the task
// that made it has ended, said on the console so that waiting runs nothing in the page), the JS
// heap after GC and the wasm memories are read, then the files the page received (Resource Timing:
// a file counts as "before interactive" when its last byte came before that moment, in at least
// half the runs). After a
// pause, each lazy capability of LAZY below is used for the first time: a click, timed in the page
// until its output is there (the mutation that puts it there), then memory again.
//
// Environment: PECFG_DIST (default dist); PECFG_BENCH_BUILDS="label=folder;label=folder" measures
// several builds side by side, interleaved run by run (before/after comparisons);
// PECFG_BENCH_LOAD_RUNS (default 7; figures are medians); PECFG_BENCH_LOAD_JSON (write the
// figures there too; bench.sh's closing table reads them).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startStaticServer } from './static-server.mjs';

const RUNS = Number(process.env.PECFG_BENCH_LOAD_RUNS ?? 7);
const CHART = 'ixn';
const FORM_READY = '.field-list .field';
// A user's pause between the form showing and the click that needs a lazy module.
const PAUSE_MS = 500;

// The lazy capabilities: which module, the click that first needs it, and when its first output
// is there. One entry per capability that the first view does not carry.
const LAZY = [
  {
    label: 'values.schema.json tab',
    module: 'tools',
    click: '#tab-values-schema-json',
    // Shown: this element holds this text and is not busy.
    output: '#export-preview',
    text: '"$schema"',
  },
];

const INTERACTIVE = 'pecfg-interactive';
const INIT = ({ ready, INTERACTIVE }) => {
  const observer = new MutationObserver(() => {
    if (window.__pecfgSeen || !document.querySelector(ready)) return;
    window.__pecfgSeen = true;
    observer.disconnect();
    setTimeout(() => console.debug(`${INTERACTIVE} ${performance.now()}`), 0);
  });
  observer.observe(document, { childList: true, subtree: true });
};

const brotli = (bytes) => brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The kind of a file the page fetched, by its name. */
function kindOf(name) {
  if (name === '' || name.endsWith('.html')) return 'html';
  if (name.endsWith('.wasm')) return 'wasm';
  if (name.endsWith('.js')) return 'js';
  if (name.endsWith('.css')) return 'css';
  if (name.endsWith('.json')) return 'chart data';
  if (/\.(svg|png|ico)$/.test(name)) return 'icon';
  return 'other';
}
const KINDS = ['html', 'js', 'wasm', 'css', 'icon', 'chart data', 'other'];

/** The lazy modules a build names (scripts/postbuild.mjs's `pecfg-modules` block). */
function lazyModules(dir) {
  const html = readFileSync(`${dir}/index.html`, 'utf8');
  const block = html.match(/<script type="application\/json" id="pecfg-modules">([^<]*)<\/script>/);
  return block ? JSON.parse(block[1]) : {};
}

/** JS heap after a GC, and the size of every wasm memory in the page (one per instance). */
async function memory(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const prototype = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.result.objectId });
  const { result } = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId,
    functionDeclaration: 'function () { return this.map((memory) => memory.buffer.byteLength); }',
    returnByValue: true,
  });
  await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'console' }).catch(() => {});
  return { heap, wasm: result.value };
}

async function run(browser, build) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(INIT, { ready: FORM_READY, INTERACTIVE });
  const page = await context.newPage();
  const bodies = new Map();
  page.on('response', (response) => {
    bodies.set(response.url(), response.body().catch(() => null));
  });
  const cdp = await context.newCDPSession(page);
  const said = page.waitForEvent('console', { predicate: (message) => message.text().startsWith(INTERACTIVE), timeout: 60_000 });
  await page.goto(`${build.url}?chart=${CHART}`);
  const interactive = Number((await said).text().slice(INTERACTIVE.length + 1));
  const loaded = await memory(cdp);
  // When each file's last byte arrived, ms from navigation start (the page's time origin).
  const timing = await page.evaluate(() => [
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ].map((entry) => ({ url: entry.name.split('#')[0], end: entry.responseEnd })));
  const files = [];
  for (const { url, end } of timing) {
    const body = await (bodies.get(url) ?? Promise.resolve(null));
    if (!body) continue;
    const name = new URL(url).pathname.split('/').pop();
    files.push({ name: name || 'index.html', kind: kindOf(name), raw: body.length, brotli: brotli(body), before: end <= interactive });
  }
  await page.waitForTimeout(PAUSE_MS);

  const lazy = [];
  for (const capability of LAZY) {
    const module = build.modules[capability.module] ?? {};
    // (No predicate passed as code: the page's CSP forbids eval, so the check is data.)
    const measured = await page.evaluate(({ click, output, text, names }) => new Promise((resolve, reject) => {
      const isShown = () => {
        const element = document.querySelector(output);
        return !!element && element.getAttribute('aria-busy') !== 'true' && element.textContent.includes(text);
      };
      const start = performance.now();
      const timer = setTimeout(() => reject(new Error(`${click}: no output within 30 s`)), 30_000);
      new MutationObserver((_, observer) => {
        if (!isShown()) return;
        observer.disconnect();
        clearTimeout(timer);
        const at = performance.now() - start;
        // The module's files: when their last byte arrived, after the click.
        const received = performance.getEntriesByType('resource')
          .filter((entry) => names.some((name) => new URL(entry.name).pathname.endsWith(`/${name}`)))
          .map((entry) => entry.responseEnd - start);
        resolve({ shown: at, received: received.length ? Math.max(...received) : NaN, files: received.length });
      }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
      document.querySelector(click).click();
    }), { click: capability.click, output: capability.output, text: capability.text, names: Object.values(module) });
    lazy.push({ label: capability.label, ...measured });
  }
  const used = await memory(cdp);
  await context.close();
  return { interactive, files, loaded, used, lazy };
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes) => (bytes / 1048576).toFixed(2);
const ms = (value) => (Number.isFinite(value) ? value.toFixed(0) : '–');

const builds = (process.env.PECFG_BENCH_BUILDS
  ? process.env.PECFG_BENCH_BUILDS.split(';').filter(Boolean).map((entry) => {
    const [label, dir] = entry.includes('=') ? entry.split('=') : [entry, entry];
    return { label, dir };
  })
  : [{ label: process.env.PECFG_DIST ?? 'dist', dir: process.env.PECFG_DIST ?? 'dist' }]);
const servers = [];
for (const build of builds) {
  if (!existsSync(`${build.dir}/index.html`)) throw new Error(`${build.dir}: no build (scripts/build-release.sh)`);
  build.modules = lazyModules(build.dir);
  const served = await startStaticServer({ root: build.dir });
  servers.push(served.server);
  build.url = served.url;
  build.runs = [];
}

const browser = await launchBrowser();
try {
  for (let index = 0; index < RUNS; index += 1) {
    // Interleaved, so that noise from the shared machine falls on every build alike.
    for (const build of builds) {
      build.runs.push(await run(browser, build));
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
} finally {
  await browser.close();
  for (const server of servers) server.close();
}

// Sizes are the same in every run; the last run's files stand for the build. A file the page does
// not wait for (the icon) may arrive before or after interactive: it counts as before when it did
// in at least half the runs.
const summaries = builds.map((build) => {
  const early = (name) => build.runs.filter((run) => run.files.some((file) => file.name === name && file.before)).length * 2 >= build.runs.length;
  const files = build.runs.at(-1).files.map((file) => ({ ...file, before: early(file.name) }));
  const before = files.filter((file) => file.before);
  const byKind = Object.fromEntries(KINDS.map((kind) => [kind, before.filter((file) => file.kind === kind)
    .reduce((sum, file) => ({ raw: sum.raw + file.raw, brotli: sum.brotli + file.brotli }), { raw: 0, brotli: 0 })]));
  const modules = Object.fromEntries(Object.entries(build.modules).map(([key, names]) => {
    const sizes = Object.fromEntries(Object.entries(names).map(([kind, name]) => {
      const bytes = readFileSync(`${build.dir}/${name}`);
      return [kind, { raw: bytes.length, brotli: brotli(bytes) }];
    }));
    return [key, sizes];
  }));
  const lazy = LAZY.map((capability, index) => ({
    label: capability.label,
    module: capability.module,
    shown: median(build.runs.map((run) => run.lazy[index].shown)),
    received: median(build.runs.map((run) => run.lazy[index].received)),
    all: build.runs.map((run) => run.lazy[index].shown),
  }));
  const sum = (list) => list.reduce((total, value) => total + value, 0);
  return {
    label: build.label,
    dir: build.dir,
    runs: build.runs.length,
    firstLoad: { brotli: sum(before.map((file) => file.brotli)), raw: sum(before.map((file) => file.raw)), byKind, files: before },
    afterInteractive: files.filter((file) => !file.before),
    modules,
    interactive: median(build.runs.map((run) => run.interactive)),
    interactiveAll: build.runs.map((run) => run.interactive),
    wasmAll: build.runs.map((run) => run.loaded.wasm.reduce((a, b) => a + b, 0)),
    lazy,
    loaded: { heap: median(build.runs.map((run) => run.loaded.heap)), wasm: build.runs.at(-1).loaded.wasm },
    used: { heap: median(build.runs.map((run) => run.used.heap)), wasm: build.runs.at(-1).used.wasm },
  };
});

const columns = (show) => summaries.map(show).join(' | ');
console.log(`first load and lazy modules (issue 26): ?chart=${CHART}, ${RUNS} fresh browser contexts per build, medians; sizes brotli -q 11`);
console.log('');
console.log(`| figure | ${columns((s) => s.label)} |`);
console.log(`| --- |${summaries.map(() => ' --- |').join('')}`);
console.log(`| **first load**: fetched before the form is interactive | ${columns((s) => `**${kib(s.firstLoad.brotli)}**`)} |`);
for (const kind of KINDS) {
  if (summaries.every((s) => s.firstLoad.byKind[kind].raw === 0)) continue;
  console.log(`| · ${kind} | ${columns((s) => (s.firstLoad.byKind[kind].raw ? kib(s.firstLoad.byKind[kind].brotli) : '–'))} |`);
}
console.log(`| fetched after interactive, before any click | ${columns((s) => (s.afterInteractive.length ? s.afterInteractive.map((file) => `${file.name} ${kib(file.brotli)}`).join(', ') : '–'))} |`);
for (const key of [...new Set(summaries.flatMap((s) => Object.keys(s.modules)))]) {
  console.log(`| lazy module ${key}: js + wasm | ${columns((s) => (s.modules[key] ? `${kib(s.modules[key].js.brotli)} + ${kib(s.modules[key].wasm.brotli)} = ${kib(s.modules[key].js.brotli + s.modules[key].wasm.brotli)}` : '–'))} |`);
}
console.log(`| navigation → form interactive (ms) | ${columns((s) => ms(s.interactive))} |`);
LAZY.forEach((capability, index) => {
  console.log(`| click → first output, ${capability.label}, ${capability.module} cold (ms) | ${columns((s) => ms(s.lazy[index].shown))} |`);
  console.log(`| · of which the ${capability.module} files received (ms after the click) | ${columns((s) => ms(s.lazy[index].received))} |`);
});
const memoryCell = ({ heap, wasm }) => `${mib(heap)} + ${wasm.map(mib).join(' + ')} = ${mib(heap + wasm.reduce((a, b) => a + b, 0))} MiB (${wasm.length} wasm)`;
console.log(`| JS heap after GC + wasm memory, after load | ${columns((s) => memoryCell(s.loaded))} |`);
console.log(`| the same after the first use of every lazy capability | ${columns((s) => memoryCell(s.used))} |`);
console.log('');
for (const s of summaries) {
  console.log(`${s.label}: first-load files (raw → brotli): ${s.firstLoad.files.map((file) => `${file.name} ${file.raw} → ${file.brotli}`).join(', ')}`);
  console.log(`${s.label}: every run, interactive (ms): ${s.interactiveAll.map(ms).join(' ')}; ${s.lazy.map((lazy) => `${lazy.label} (ms): ${lazy.all.map(ms).join(' ')}`).join('; ')}; wasm memory after load (MiB): ${s.wasmAll.map(mib).join(' ')}`);
}
if (process.env.PECFG_BENCH_LOAD_JSON) writeFileSync(process.env.PECFG_BENCH_LOAD_JSON, JSON.stringify(summaries, null, 1));
