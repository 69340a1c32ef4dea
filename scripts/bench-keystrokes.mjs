// `make bench`'s browser figures (prints numbers, asserts nothing): real keystrokes in Chromium with a
// trace, per-keystroke main-thread busy time split into JS / form-control work / frame work, and the
// load figures (brotli transfer, navigation → interactive, memory, DOM size), for a bare one-input
// page, the IXN chart and the generated 1,500-parameter chart, in one browser and one run.
//
// Environment: PECFG_DIST (the shipped build, default dist), PECFG_BENCH_DIST (the bench build with
// the generated chart, default target/bench/dist-bench1500; skipped when absent), PECFG_BENCH_RUNS
// (default 3; figures are medians over runs), PECFG_BENCH_KEYSTROKES (default 200),
// PECFG_BENCH_GROUP (a generated unit group, default target/bench/group50.yaml: when present, IXN
// is measured a second time with that group open in the Unit group view; skipped when absent),
// PECFG_BENCH_JSON (write every figure there too), PECFG_BENCH_FULL (type with the full values.yaml
// in the preview instead of the overrides only), PECFG_BENCH_DUMP (print the heaviest trace
// event names of the main thread, to see where the time goes).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startStaticServer } from './static-server.mjs';

const RUNS = Number(process.env.PECFG_BENCH_RUNS ?? 3);
const KEYSTROKES = Number(process.env.PECFG_BENCH_KEYSTROKES ?? 200);
// A fast typist's pace; every keystroke's work (input, effects, the next frame) fits in it, so
// each task lands in the window of the keystroke that caused it.
const GAP_MS = 80;
const TARGET = '#field-ixnService-ixnServer-db-host';
// The form is interactive once its first section's first field is in the page; the target sits
// further down, in a block the page renders when it comes near the viewport, so the benchmark
// reaches it as a user does: through the table of contents entry of its section.
const FORM_READY = '.field-list .field';
const TARGET_SECTION = 'ixnServer-db';
const TEXT = 'pg-ixn-01.db.example.internal';

// DevTools' own timeline categories, plus the ones that carry the input pipeline and
// Chromium's per-change form-control work.
const CATEGORIES = [
  '-*',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink.user_timing',
  'toplevel',
  'v8.execute',
  'blink',
  'input',
  'loading',
];

// Which trace events are which kind of work; the innermost classified event wins, so a forced
// layout inside a handler is frame work and a handler inside an event dispatch is JS.
// - js: script, microtasks (Leptos effects run there), wasm called from them, GC;
// - input: the browser's own keystroke handling (event dispatch, editing, selection);
// - formctl: autofill's per-change task (FormSubmissionTracker::FormControlDidChange), which
//   Chromium posts after every change of a form control and which walks the page's controls;
// - frame: style, layout, pre-paint, paint, layerize, commit, wherever they run;
// - other: whatever is left of a task (scheduling, IPC).
const KINDS = [
  ['js', /^(FunctionCall|EvaluateScript|RunMicrotasks|TimerFire|FireAnimationFrame|FireIdleCallback|BlinkScheduler_PerformMicrotaskCheckpoint|v8\.|V8\.|BlinkGC|MinorGC|MajorGC)/],
  ['frame', /^(Blink\.|LocalFrameView::|Document::(UpdateStyleAndLayout|updateStyle|recalcStyle)|Layout|Paint|PrePaint|UpdateLayoutTree|RecalculateStyles|Layerize|UpdateLayer|Commit|CullRectUpdate|PaintArtifactCompositor|WebFrameWidgetImpl::(BeginMainFrame|UpdateLifecycle)|LayoutView::HitTest|HitTest|InlineNode::|StyleEngine|ProxyMain::BeginMainFrame)/],
  ['input', /^(EventDispatch|Editor::|TypingCommand::|FrameSelection::|VisibleUnits::|WebFrameWidgetImpl::HandleInputEvent|WidgetInputHandlerManager::|MainThreadEventQueue|EventHandler::|IdleSpellCheckController|InputMethodController)/],
];
const TASKS = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);
function kindOf(event) {
  // A task says where it was posted from: that names autofill's task and the frame task.
  const posted = event.args?.src_func;
  if (posted === 'FormControlDidChange') return 'formctl';
  if (posted === 'ScheduledActionSendBeginMainFrame') return 'frame';
  for (const [kind, pattern] of KINDS) if (pattern.test(event.name)) return kind;
  return null;
}

const INTERACTIVE = 'pecfg-interactive';
const INIT = ({ ready, INTERACTIVE }) => {
  // wasm-bindgen's init resolves to the module's exports, memory among them; trunk hands them over here.
  addEventListener('TrunkApplicationStarted', (event) => { window.__pecfgWasm = event.detail.wasm; });
  // Interactive: the target input is in the page and the task that made it is over.
  const observer = new MutationObserver(() => {
    if (window.__pecfgSeen || !document.querySelector(ready)) return;
    window.__pecfgSeen = performance.now();
    observer.disconnect();
    // Said on the console: waiting for it costs the page nothing, where Playwright's
    // waitForFunction would inject and run its own script in the page while it loads.
    setTimeout(() => console.debug(`${INTERACTIVE} ${performance.now()}`), 0);
  });
  observer.observe(document, { childList: true, subtree: true });
  // First in line for every keydown: the trace's window of a keystroke starts here.
  addEventListener('keydown', () => performance.mark('pecfg-key'), { capture: true });
};

const BARE_HTML = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bare input</title></head>'
  + '<body><label for="bare">Database host</label> <input id="bare" type="text"></body></html>';

function keys(count) {
  const sequence = [];
  while (sequence.length < count) {
    for (const character of TEXT) sequence.push(character);
    for (let index = 0; index < TEXT.length; index += 1) sequence.push('Backspace');
  }
  return sequence.slice(0, count);
}

async function readTrace(cdp) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Per keystroke: busy ms of every top-level task that started in its window, split by kind. */
function analyse(events, expected) {
  const marks = events.filter((event) => event.name === 'pecfg-key' && event.cat.includes('user_timing'))
    .sort((a, b) => a.ts - b.ts);
  if (marks.length === 0) throw new Error('no keydown marks in the trace');
  const { pid, tid } = marks[0];
  const thread = events.filter((event) => event.pid === pid && event.tid === tid && event.ph === 'X'
    && typeof event.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = [];
  let end = -Infinity;
  for (const event of thread) {
    if (!TASKS.has(event.name) || event.ts < end) continue;
    tasks.push(event);
    end = event.ts + event.dur;
  }
  // A window opens where the task holding its keydown started (the dispatch begins before the mark).
  const starts = marks.map((mark) => {
    const holder = tasks.find((task) => task.ts <= mark.ts && mark.ts <= task.ts + task.dur);
    return holder ? holder.ts : mark.ts;
  });
  const windows = starts.map((start, index) => ({
    start,
    end: index + 1 < starts.length ? starts[index + 1] : start + GAP_MS * 1000,
    busy: 0, js: 0, input: 0, formctl: 0, frame: 0, other: 0, tasks: 0,
  }));
  const names = new Map();
  let cursor = 0;
  for (const task of tasks) {
    while (cursor < windows.length && task.ts >= windows[cursor].end) cursor += 1;
    if (cursor >= windows.length) break;
    const window = windows[cursor];
    if (task.ts < window.start) continue;
    window.busy += task.dur;
    window.tasks += 1;
    // Self time of each event inside the task, labelled by the innermost classified ancestor.
    const inside = [];
    let low = 0;
    let high = thread.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (thread[middle].ts < task.ts) low = middle + 1; else high = middle;
    }
    for (let index = low; index < thread.length && thread[index].ts <= task.ts + task.dur; index += 1) {
      const event = thread[index];
      if (event.ts + event.dur <= task.ts + task.dur) inside.push(event);
    }
    const stack = [];
    const self = new Map();
    for (const event of inside) {
      while (stack.length && event.ts >= stack.at(-1).ts + stack.at(-1).dur) stack.pop();
      const parent = stack.at(-1);
      const label = kindOf(event) ?? parent?.label ?? 'other';
      const node = { ts: event.ts, dur: event.dur, label, name: event.name };
      self.set(node, event.dur);
      if (parent) self.set(parent, self.get(parent) - event.dur);
      stack.push(node);
    }
    for (const [node, time] of self) {
      window[node.label] += Math.max(0, time);
      names.set(`${node.label}: ${node.name}`, (names.get(`${node.label}: ${node.name}`) ?? 0) + Math.max(0, time));
    }
  }
  if (marks.length !== expected) console.warn(`warning: ${marks.length} keydown marks for ${expected} keystrokes`);
  const ms = (value) => value / 1000;
  return {
    keystrokes: windows.map((window) => ({
      busy: ms(window.busy), js: ms(window.js), input: ms(window.input), formctl: ms(window.formctl),
      frame: ms(window.frame), other: ms(window.other),
    })),
    names,
  };
}

async function measure(browser, target) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(INIT, { ready: target.ready ?? target.selector, INTERACTIVE });
  const page = await context.newPage();
  const responses = [];
  page.on('response', (response) => responses.push(response));
  const cdp = await context.newCDPSession(page);
  const said = page.waitForEvent('console', { predicate: (message) => message.text().startsWith(INTERACTIVE), timeout: 60_000 });
  await page.goto(target.url);
  const interactive = Number((await said).text().slice(INTERACTIVE.length + 1));
  // What the page loaded, as a server with brotli would send it.
  let transfer = 0;
  const files = [];
  for (const response of responses) {
    const body = await response.body().catch(() => null);
    if (!body) continue;
    const bytes = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
    transfer += bytes;
    files.push({ file: new URL(response.url()).pathname.split('/').pop() || 'index.html', raw: body.length, brotli: bytes });
  }
  // A page that holds something else first (a unit group open): made so before anything is read.
  const prepared = target.prepare ? await target.prepare(page) : {};
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const page_figures = await page.evaluate(() => ({
    wasm: window.__pecfgWasm?.memory?.buffer?.byteLength ?? 0,
    nodes: (() => {
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let count = 1;
      while (walker.nextNode()) count += 1;
      return count;
    })(),
    elements: document.getElementsByTagName('*').length,
    controls: document.querySelectorAll('input, select, textarea, button').length,
    // Where the nodes are: what each part of the page costs in DOM.
    parts: Object.fromEntries(['.layout-picker', '.toc', '.platform-block', '.form-sections', '.layout-export', '#export-preview']
      .map((selector) => [selector, [...document.querySelectorAll(selector)].reduce((sum, root) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
        let count = 1;
        while (walker.nextNode()) count += 1;
        return sum + count;
      }, 0)])),
  }));
  // The values.yaml preview is what the user watches while typing (PECFG_BENCH_FULL=1: the full
  // file with docs, hundreds of lines, instead of the overrides).
  if (await page.$('#tab-values-yaml')) await page.click('#tab-values-yaml');
  if (process.env.PECFG_BENCH_FULL && (await page.$('#full-values'))) await page.check('#full-values');
  // To the target as a user goes there when it is not rendered yet: the table of contents entry
  // of its section, which renders that section (timed until the target is in the page and the
  // task that made it has ended). Clicked through the DOM: a mouse left over the page would add
  // hover work to every later frame.
  let reveal = 0;
  const entry = `.toc button[data-section="${TARGET_SECTION}"]`;
  if (!(await page.$(target.selector)) && (await page.$(entry))) {
    reveal = await page.evaluate(({ entry, target }) => new Promise((resolve) => {
      const started = performance.now();
      const observer = new MutationObserver(() => {
        if (!document.querySelector(target)) return;
        observer.disconnect();
        setTimeout(() => resolve(performance.now() - started), 0);
      });
      observer.observe(document, { childList: true, subtree: true });
      document.querySelector(entry).click();
    }), { entry, target: target.selector });
  }
  await page.focus(target.selector);
  await page.waitForTimeout(300);
  // What is live while typing (after the jump, which renders the target's block).
  const typing = await page.evaluate(() => ({
    nodes: (() => {
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let count = 1;
      while (walker.nextNode()) count += 1;
      return count;
    })(),
    controls: document.querySelectorAll('input, select, textarea, button').length,
  }));

  const browserCdp = await browser.newBrowserCDPSession();
  await browserCdp.send('Tracing.start', {
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
    transferMode: 'ReturnAsStream',
  });
  await page.waitForTimeout(200);
  const sequence = keys(KEYSTROKES);
  for (const key of sequence) {
    await page.keyboard.press(key);
    await page.waitForTimeout(GAP_MS);
  }
  await page.waitForTimeout(200);
  const events = await readTrace(browserCdp);
  await browserCdp.detach();
  if (process.env.PECFG_BENCH_TRACE) {
    writeFileSync(join(process.env.PECFG_BENCH_TRACE, `${target.label.split(' ')[0]}.json`), JSON.stringify({ traceEvents: events }));
  }
  const { keystrokes, names } = analyse(events, sequence.length);
  await context.close();
  return { interactive, reveal, typingNodes: typing.nodes, typingControls: typing.controls, transfer, files, heap, ...page_figures, ...prepared, keystrokes, names };
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => quantile(values, 0.5);
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

function summarise(runs) {
  const perRun = runs.map((run) => {
    const of = (kind) => run.keystrokes.map((keystroke) => keystroke[kind]);
    return {
      busyP50: quantile(of('busy'), 0.5), busyP95: quantile(of('busy'), 0.95), busyMax: Math.max(...of('busy')),
      first: run.keystrokes[0].busy,
      jsP50: quantile(of('js'), 0.5), inputP50: quantile(of('input'), 0.5), formctlP50: quantile(of('formctl'), 0.5),
      frameP50: quantile(of('frame'), 0.5), jsMean: mean(of('js')), inputMean: mean(of('input')),
      formctlMean: mean(of('formctl')), frameMean: mean(of('frame')), otherMean: mean(of('other')),
      interactive: run.interactive, reveal: run.reveal, transfer: run.transfer, heap: run.heap, wasm: run.wasm,
      nodes: run.nodes, elements: run.elements, controls: run.controls,
      typingNodes: run.typingNodes, typingControls: run.typingControls,
      groupOpen: run.groupOpen ?? 0, groupUnits: run.groupUnits ?? 0,
    };
  });
  return Object.fromEntries(Object.keys(perRun[0]).map((key) => [key, median(perRun.map((run) => run[key]))]));
}

/**
 * Opens a unit group in the Unit group view (the file picked as a user picks it), waits until its
 * last unit's card is drawn, then goes back to the IXN form through the picker, as a user with a
 * group open edits a unit's chart. `groupOpen`: ms from the file picked to the last card drawn (the
 * tools module reading, resolving and checking the group, and the view drawing its cards).
 */
const GROUP_FILE = process.env.PECFG_BENCH_GROUP ?? 'target/bench/group50.yaml';
async function openGroup(page) {
  await page.evaluate(() => document.querySelector('#open-group').click());
  await page.waitForSelector('#group-open-file', { state: 'attached' });
  // The tools module loaded first, so the figure is the group's own work.
  await page.waitForSelector('#group-text');
  await page.waitForFunction(() => !document.querySelector('.module-status'), null, { timeout: 60_000 });
  const units = (readFileSync(GROUP_FILE, 'utf8').match(/^ {2}- \{name: /gm) ?? []).length;
  const last = `.group-unit[data-unit="u${units - 1}"]`;
  const started = Date.now();
  await page.setInputFiles('#group-open-file', GROUP_FILE);
  await page.waitForSelector(last, { timeout: 120_000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  const groupOpen = Date.now() - started;
  await page.evaluate(() => document.querySelector('.chart-button[data-chart="ixn"]').click());
  await page.waitForSelector(FORM_READY);
  return { groupOpen, groupUnits: units };
}

const bareRoot = mkdtempSync(join(tmpdir(), 'pecfg-bare-'));
writeFileSync(join(bareRoot, 'index.html'), BARE_HTML);
const shipped = process.env.PECFG_DIST ?? 'dist';
const benchDist = process.env.PECFG_BENCH_DIST ?? 'target/bench/dist-bench1500';
const servers = [];
const serve = async (root) => {
  const served = await startStaticServer({ root, basePath: '/' });
  servers.push(served.server);
  return served.url;
};
// PECFG_BENCH_PAGES="label|folder[?query]|selector;…" measures those pages instead, next to the bare one
// (before/after comparisons in one run, experiments).
const pages = process.env.PECFG_BENCH_PAGES?.split(';').map((entry) => entry.split('|'));
const targets = pages ? [{ label: 'bare <input>', url: await serve(bareRoot), selector: '#bare' }] : [
  { label: 'bare <input>', url: await serve(bareRoot), selector: '#bare' },
  { label: 'IXN (143 params)', url: `${await serve(shipped)}?chart=ixn`, selector: TARGET, ready: FORM_READY },
];
for (const [label, where, selector] of pages ?? []) {
  const [folder, query] = where.split('?');
  targets.push({ label, url: `${await serve(folder)}${query ? `?${query}` : ''}`, selector, ready: FORM_READY });
}
if (!pages && existsSync(GROUP_FILE)) {
  targets.push({ label: 'IXN, unit group open', url: `${await serve(shipped)}?chart=ixn`, selector: TARGET, ready: FORM_READY, prepare: openGroup });
} else if (!pages) {
  console.log(`(no ${GROUP_FILE}: IXN with a unit group open is skipped; make bench writes it)`);
}
if (pages) {
  // experiments only
} else if (existsSync(benchDist)) {
  targets.push({ label: 'generated (1,500 params)', url: `${await serve(benchDist)}?chart=bench1500`, selector: TARGET, ready: FORM_READY });
} else {
  console.log(`(no ${benchDist}: the generated chart is skipped; make bench builds it)`);
}

const browser = await launchBrowser();
const results = new Map(targets.map((target) => [target.label, []]));
try {
  console.log(`chromium ${browser.version()}, ${RUNS} runs x ${KEYSTROKES} keystrokes into ${TARGET} (values.yaml preview open), ${GAP_MS} ms apart`);
  // Interleaved, so that noise from the shared machine falls on every target alike.
  for (let run = 0; run < RUNS; run += 1) {
    for (const target of targets) {
      results.get(target.label).push(await measure(browser, target));
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
} finally {
  await browser.close();
  for (const server of servers) server.close();
}

const summaries = targets.map((target) => ({ label: target.label, ...summarise(results.get(target.label)) }));
const f1 = (value) => value.toFixed(1);
const kib = (value) => `${(value / 1024).toFixed(0)} KiB`;
const mib = (value) => `${(value / 1048576).toFixed(1)} MiB`;
const rows = [
  ['busy per keystroke p50 / p95 / max (ms)', (s) => `${f1(s.busyP50)} / ${f1(s.busyP95)} / ${f1(s.busyMax)}`],
  ['first keystroke busy (ms)', (s) => f1(s.first)],
  ['p50 (ms): JS / input / form-control / frame', (s) => `${f1(s.jsP50)} / ${f1(s.inputP50)} / ${f1(s.formctlP50)} / ${f1(s.frameP50)}`],
  ['mean (ms): JS / input / form-control / frame / other', (s) => `${f1(s.jsMean)} / ${f1(s.inputMean)} / ${f1(s.formctlMean)} / ${f1(s.frameMean)} / ${f1(s.otherMean)}`],
  ['navigation -> form interactive (ms)', (s) => f1(s.interactive)],
  ['table of contents click -> target field interactive (ms)', (s) => f1(s.reveal)],
  ['transfer, brotli -q 11', (s) => kib(s.transfer)],
  ['JS heap after GC + wasm memory', (s) => `${mib(s.heap)} + ${mib(s.wasm)}`],
  ['DOM nodes / elements / form controls after load', (s) => `${s.nodes} / ${s.elements} / ${s.controls}`],
  ['DOM nodes / form controls while typing', (s) => `${s.typingNodes} / ${s.typingControls}`],
  ['unit group picked -> its cards drawn (ms)', (s) => (s.groupUnits ? `${f1(s.groupOpen)} (${s.groupUnits} units)` : '–')],
];
console.log(`\n| figure (median of ${RUNS} runs) | ${summaries.map((s) => s.label).join(' | ')} |`);
console.log(`| --- |${summaries.map(() => ' --- |').join('')}`);
for (const [name, show] of rows) console.log(`| ${name} | ${summaries.map(show).join(' | ')} |`);
const ixn = summaries.find((s) => s.label.startsWith('IXN')) ?? summaries[1];
const bare = summaries[0];
const generated = summaries.find((s) => s.label.startsWith('generated'));
console.log(`\nIXN / bare busy p50: ${(ixn.busyP50 / bare.busyP50).toFixed(2)}x`);
const grouped = summaries.find((s) => s.groupUnits);
if (grouped) {
  console.log(`IXN with a ${grouped.groupUnits}-unit group open / IXN alone: busy p50 ${(grouped.busyP50 / ixn.busyP50).toFixed(2)}x, p95 ${(grouped.busyP95 / ixn.busyP95).toFixed(2)}x`);
}
if (generated) {
  console.log(`generated / IXN: busy p50 ${(generated.busyP50 / ixn.busyP50).toFixed(2)}x, interactive ${(generated.interactive / ixn.interactive).toFixed(2)}x`);
}
const last = results.get(targets[1].label).at(-1);
for (const target of targets.slice(1)) {
  const parts = results.get(target.label).at(-1).parts;
  console.log(`${target.label} DOM nodes by part: ${Object.entries(parts).map(([part, count]) => `${part} ${count}`).join(', ')}`);
}
console.log(`\nIXN files (brotli): ${last.files.map((file) => `${file.file} ${kib(file.brotli)}`).join(', ')}`);
if (process.env.PECFG_BENCH_DUMP) {
  for (const target of targets) {
    const names = results.get(target.label).at(-1).names;
    const top = [...names].sort((a, b) => b[1] - a[1]).slice(0, 25);
    console.log(`\n${target.label}: self time by trace event over ${KEYSTROKES} keystrokes (ms)`);
    for (const [name, time] of top) console.log(`  ${(time / 1000).toFixed(1).padStart(8)}  ${name}`);
  }
}
if (process.env.PECFG_BENCH_JSON) {
  writeFileSync(process.env.PECFG_BENCH_JSON, JSON.stringify({ summaries, runs: Object.fromEntries([...results].map(([label, list]) => [label, list.map(({ names, ...rest }) => rest)])) }, null, 1));
}
