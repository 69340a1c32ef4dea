// `make bench`'s start-up figures (prints numbers, asserts nothing): where the time from navigation
// to a form the user can type into goes, and which code the page compiles on the way.
//
// Part 1 loads the shipped build (PECFG_DIST, default dist) PECFG_BENCH_RUNS times (default 5)
// under a light trace and prints the medians of: the wasm's bytes received, the streaming
// compilation's main-thread share, the start-up task (Rust's `main` building the page; V8 compiles
// each wasm function the first time it runs, and that lazy compilation is shown apart), the first
// style and layout of what it built, and navigation → form interactive (as bench-keystrokes.mjs
// defines it).
//
// Part 2 makes a copy of the same build whose wasm keeps its function names (wasm-bindgen
// --keep-debug on cargo's output, then wasm-opt -Oz and index.html's flags with -g, as trunk runs
// them without the names) and charges every function compiled during start-up to its crate: how
// many, how many bytes of code, how long. Cargo's output must be the build that made PECFG_DIST
// (bench.sh runs this right after scripts/build-release.sh, before the bench build replaces it);
// PECFG_WASM overrides its path.
// PECFG_BENCH_DUMP=1 also lists, per load, the tasks between the start-up task and interactive.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startStaticServer } from './static-server.mjs';

const DIST = process.env.PECFG_DIST ?? 'dist';
const RAW_WASM = process.env.PECFG_WASM ?? 'target/wasm32-unknown-unknown/wasm-release/pe-configurator.wasm';
const RUNS = Number(process.env.PECFG_BENCH_RUNS ?? 5);
const CHART = 'ixn';
const FORM_READY = '.field-list .field';
const CATEGORIES = ['-*', 'devtools.timeline', 'blink.user_timing', 'loading', 'v8.wasm', 'toplevel'];
// The app's wasm, as trunk names it and index.html preloads it; the page may instantiate a lazy
// module's wasm too (src/capability.rs), which is not the start-up's.
const APP_WASM = readFileSync(join(DIST, 'index.html'), 'utf8').match(/<link rel="preload" href="\.\/([^"]+_bg\.wasm)"/)?.[1]
  ?? readdirSync(DIST).find((file) => file.endsWith('_bg.wasm'));

// Interactive as bench-keystrokes.mjs has it: the form's first field is in the page and the task
// that made it is over, said on the console so that waiting for it runs nothing in the page.
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

async function traceLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(INIT, { ready: FORM_READY, INTERACTIVE });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: CATEGORIES.join(','), transferMode: 'ReportEvents' });
  const said = page.waitForEvent('console', { predicate: (message) => message.text().startsWith(INTERACTIVE), timeout: 60_000 });
  await page.goto(url);
  const interactive = Number((await said).text().slice(INTERACTIVE.length + 1));
  await cdp.send('Tracing.end');
  await complete;
  await context.close();
  return { events, interactive };
}

// The renderer's main thread is the one that parsed the page; times are ms from navigation start.
function timeline({ events, interactive }) {
  const parse = events.find((event) => event.name === 'ParseHTML');
  if (!parse) return null;
  const main = events.filter((event) => event.pid === parse.pid && event.tid === parse.tid);
  // Navigation start of this page's document (the trace also holds the blank page's).
  const start = (events.find((event) => event.name === 'navigationStart' && event.pid === parse.pid
    && /^https?:/.test(event.args?.data?.documentLoaderURL ?? '')) ?? parse).ts;
  const at = (ts) => (ts - start) / 1000;
  const complete = main.filter((event) => event.ph === 'X');
  const within = (task, name) => complete
    .filter((event) => event.name === name && event.ts >= task.ts && event.ts < task.ts + task.dur)
    .reduce((sum, event) => sum + event.dur / 1000, 0);
  // The app's wasm's bytes (a lazy module's wasm is another file): its request's id, then that
  // request's finish.
  const send = events.find((event) => event.name === 'ResourceSendRequest' && (event.args?.data?.url ?? '').endsWith(`/${APP_WASM}`));
  const finish = send && events.find((event) => event.name === 'ResourceFinish' && event.args?.data?.requestId === send.args.data.requestId);
  // Top-level work: tasks, and the microtask checkpoints that run on their own (wasm-bindgen's
  // start-up runs in one).
  const tasks = complete.filter((event) => ['ThreadControllerImpl::RunTask', 'RunTask', 'BlinkScheduler_PerformMicrotaskCheckpoint'].includes(event.name));
  const top = tasks.filter((task) => !tasks.some((outer) => outer !== task && outer.ts <= task.ts && outer.ts + outer.dur >= task.ts + task.dur));
  // The start-up task is the one that runs `main`: of the tasks from the module's instantiation
  // on, the one that compiles the most code on first call (the first frame compiles almost none).
  // The first instantiation is the app's: a lazy module is loaded on first use, after interactive.
  const instantiated = complete.find((event) => event.name === 'wasm.AsyncInstantiate' || event.name === 'wasm.SyncInstantiate');
  const startup = instantiated && top
    .filter((task) => task.ts + task.dur >= instantiated.ts)
    .map((task) => ({ task, lazy: within(task, 'wasm.CompileLazy') }))
    .sort((a, b) => b.lazy - a.lazy || b.task.dur - a.task.dur)[0]?.task;
  const end = interactive * 1000 + start;
  const afterStartup = startup ? top.filter((task) => task.ts >= startup.ts + startup.dur && task.ts < end) : [];
  if (process.env.PECFG_BENCH_DUMP) {
    // What runs between the start-up task and interactive, with each task's longest events.
    for (const task of afterStartup.filter((task) => task.dur > 2000)) {
      const inside = complete.filter((event) => event !== task && event.ts >= task.ts && event.ts < task.ts + task.dur && event.dur > 1000)
        .sort((a, b) => b.dur - a.dur).slice(0, 4).map((event) => `${event.name} ${ms(event.dur / 1000)}`);
      console.log(`  at ${ms(at(task.ts))} ${ms(task.dur / 1000)} ms: ${inside.join(', ')}`);
    }
  }
  const sum = (list, name) => list.reduce((total, task) => total + within(task, name), 0);
  return {
    wasmBytes: finish ? at(finish.ts) : NaN,
    // V8 compiles as the bytes arrive, on other threads; this is what it costs the main thread.
    streaming: complete.filter((event) => ['wasm.OnBytesReceived', 'wasm.FinishStreaming'].includes(event.name) && at(event.ts) < interactive)
      .reduce((total, event) => total + event.dur / 1000, 0),
    startupTask: startup ? startup.dur / 1000 : NaN,
    startupAt: startup ? at(startup.ts) : NaN,
    lazy: startup ? within(startup, 'wasm.CompileLazy') : NaN,
    style: sum(afterStartup, 'UpdateLayoutTree'),
    layout: sum(afterStartup, 'Layout'),
    paint: sum(afterStartup, 'Paint'),
    interactive,
  };
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : '–');

// --- names: a copy of DIST whose wasm keeps its function names -----------------------------------
function namedCopy() {
  if (!existsSync(RAW_WASM)) return { skipped: `no ${RAW_WASM} (build the site first)` };
  const dir = mkdtempSync(join(tmpdir(), 'pecfg-startup-'));
  const bindgen = join(dir, 'bindgen');
  execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-debug', '--out-dir', bindgen, RAW_WASM]);
  const copy = join(dir, 'site');
  cpSync(DIST, copy, { recursive: true });
  const shipped = APP_WASM;
  // The flags trunk runs wasm-opt with (index.html's data-wasm-opt-params), and -g.
  const params = readFileSync('index.html', 'utf8').match(/data-bin="pe-configurator"[^>]*?data-wasm-opt-params="([^"]*)"/)?.[1] ?? '';
  execFileSync('wasm-opt', ['-Oz', ...params.split(/\s+/).filter(Boolean), '-g', join(bindgen, readdirSync(bindgen).find((file) => file.endsWith('_bg.wasm'))), '-o', join(copy, shipped)]);
  // index.html pins every file by its hash (subresource integrity): pin the new wasm.
  const digest = createHash('sha384').update(readFileSync(join(copy, shipped))).digest('base64');
  const html = readFileSync(join(copy, 'index.html'), 'utf8');
  const pattern = new RegExp(`(href="\\./${shipped.replace(/[.]/g, '\\.')}"[^>]*?integrity=")[^"]+`);
  if (!pattern.test(html)) return { skipped: `index.html does not pin ${shipped}` };
  writeFileSync(join(copy, 'index.html'), html.replace(pattern, `$1sha384-${digest}`));
  return { dir, site: copy, wasm: join(copy, shipped) };
}

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

// Each defined function's index, body size and name (from the `name` section).
function functions(path) {
  const bytes = readFileSync(path);
  const sizes = [];
  const names = new Map();
  let imported = 0;
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at++];
    let size;
    [size, at] = leb(bytes, at);
    const end = at + size;
    if (id === 2) {
      let count, j = at, length;
      [count, j] = leb(bytes, j);
      for (let k = 0; k < count; k++) {
        [length, j] = leb(bytes, j); j += length;
        [length, j] = leb(bytes, j); j += length;
        const kind = bytes[j++];
        if (kind === 0) { [, j] = leb(bytes, j); imported++; }
        else if (kind === 1) { j++; let flags; [flags, j] = leb(bytes, j); [, j] = leb(bytes, j); if (flags & 1) [, j] = leb(bytes, j); }
        else if (kind === 2) { let flags; [flags, j] = leb(bytes, j); [, j] = leb(bytes, j); if (flags & 1) [, j] = leb(bytes, j); }
        else if (kind === 3) j += 2;
        else j += 1;
      }
    } else if (id === 10) {
      let count, j = at, length;
      [count, j] = leb(bytes, j);
      for (let k = 0; k < count; k++) { [length, j] = leb(bytes, j); sizes.push(length); j += length; }
    } else if (id === 0) {
      let length, j = at;
      [length, j] = leb(bytes, j);
      const name = bytes.subarray(j, j + length).toString();
      j += length;
      while (name === 'name' && j < end) {
        const sub = bytes[j++];
        let subSize;
        [subSize, j] = leb(bytes, j);
        if (sub === 1) {
          let count, k = j, index;
          [count, k] = leb(bytes, k);
          for (let n = 0; n < count; n++) {
            [index, k] = leb(bytes, k);
            [length, k] = leb(bytes, k);
            names.set(index, bytes.subarray(k, k + length).toString());
            k += length;
          }
        }
        j += subSize;
      }
    }
    at = end;
  }
  return { imported, sizes, names, code: sizes.reduce((a, b) => a + b, 0) };
}

// The crate a function belongs to: the implementing type's for `<Type as Trait>::f`, the trait's
// when the type is generic or primitive (`<T as reactive_graph::traits::Get>::get`).
const STD = new Set(['core', 'alloc', 'std', 'dlmalloc', 'compiler_builtins']);
function crateOf(name) {
  let path = name.replace(/\[[0-9a-f]{16}\]/g, '');
  if (path.startsWith('<')) {
    let depth = 0;
    let split = -1;
    for (let i = 1; i < path.length && split < 0; i++) {
      if (path[i] === '<') depth++;
      else if (path[i] === '>') { if (depth === 0) break; depth--; }
      else if (depth === 0 && path.startsWith(' as ', i)) split = i;
    }
    const type = path.slice(1, split < 0 ? undefined : split).replace(/^(&(mut )?|\*(const|mut) |dyn |\[)+/, '');
    path = /^[a-z_]\w*::/.test(type) || split < 0 ? type : path.slice(split + 4);
  }
  const crate = (path.match(/^([a-z_]\w*)::/) ?? [])[1];
  if (!crate) return /^(str|u8|u16|u32|u64|usize|i8|i16|i32|i64|isize|f32|f64|bool|char)\b|^(mem|__|memcpy|memmove|memset|memcmp)/.test(path) ? 'Rust std, alloc, dlmalloc' : '(other: glue and unnamed)';
  return STD.has(crate) ? 'Rust std, alloc, dlmalloc' : crate;
}

async function lazyByCrate(browser, site, wasm) {
  const { imported, sizes, names, code } = functions(wasm);
  const { server, url } = await startStaticServer({ root: site });
  const loads = [];
  try {
    for (let run = 0; run < Math.min(RUNS, 3); run++) loads.push((await traceLoad(browser, `${url}?chart=${CHART}`)).events);
  } finally {
    server.close();
  }
  const perCrate = new Map();
  let compiled = 0;
  let count = 0;
  loads.forEach((events, run) => {
    const parse = events.find((event) => event.name === 'ParseHTML');
    const lazy = events.filter((event) => event.name === 'wasm.CompileLazy' && event.pid === parse?.pid && event.tid === parse?.tid);
    for (const event of lazy) {
      const index = event.args?.func_index;
      const size = sizes[index - imported] ?? 0;
      const crate = crateOf(names.get(index) ?? '');
      const row = perCrate.get(crate) ?? { functions: 0, bytes: 0, ms: [] };
      if (run === 0) { row.functions++; row.bytes += size; compiled += size; count++; }
      row.ms[run] = (row.ms[run] ?? 0) + (event.tdur ?? event.dur) / 1000;
      perCrate.set(crate, row);
    }
  });
  return { code, compiled, count, rows: [...perCrate].map(([crate, row]) => ({ crate, ...row, ms: median(row.ms) })) };
}

const browser = await launchBrowser();
try {
  const { server, url } = await startStaticServer({ root: DIST });
  const rows = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const row = timeline(await traceLoad(browser, `${url}?chart=${CHART}`));
      if (row) rows.push(row);
    }
  } finally {
    server.close();
  }
  const figure = (key) => median(rows.map((row) => row[key]));
  console.log(`start-up of ${DIST}?chart=${CHART}, medians of ${rows.length} traced loads (ms from navigation start; a trace adds a little to each)`);
  console.log('');
  console.log('| figure | ms |');
  console.log('| --- | --- |');
  console.log(`| the wasm's last byte received | ${ms(figure('wasmBytes'))} |`);
  console.log(`| streaming compilation as the bytes arrive, the main thread's share | ${ms(figure('streaming'))} |`);
  console.log(`| the start-up task begins (module instantiated, \`main\` runs) | ${ms(figure('startupAt'))} |`);
  console.log(`| the start-up task | ${ms(figure('startupTask'))} |`);
  console.log(`| of which lazy compilation of the functions it runs | ${ms(figure('lazy'))} |`);
  console.log(`| then style / layout / paint until interactive | ${ms(figure('style'))} / ${ms(figure('layout'))} / ${ms(figure('paint'))} |`);
  console.log(`| navigation → form interactive | ${ms(figure('interactive'))} |`);

  const named = namedCopy();
  console.log('');
  if (named.skipped) {
    console.log(`lazy compilation by crate: skipped, ${named.skipped}`);
  } else {
    try {
      const { code, compiled, count, rows: crates } = await lazyByCrate(browser, named.site, named.wasm);
      console.log(`functions compiled during start-up: ${count}, ${(compiled / 1024).toFixed(0)} KiB of the wasm's ${(code / 1024).toFixed(0)} KiB of code (names from a copy of the build that keeps them)`);
      console.log('');
      console.log('| crate | functions | code KiB | compile ms (thread time, median) |');
      console.log('| --- | --- | --- | --- |');
      for (const row of crates.sort((a, b) => b.bytes - a.bytes).slice(0, 12)) {
        console.log(`| ${row.crate} | ${row.functions} | ${(row.bytes / 1024).toFixed(1)} | ${ms(row.ms)} |`);
      }
    } finally {
      rmSync(named.dir, { recursive: true, force: true });
    }
  }
} finally {
  await browser.close();
}
