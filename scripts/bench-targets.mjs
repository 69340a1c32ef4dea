// `make bench`'s closing table (prints figures, asserts nothing): issue 26's targets next to what
// this run measured. It reads what bench-first-load.mjs (PECFG_BENCH_LOAD_JSON) and
// bench-keystrokes.mjs (PECFG_BENCH_JSON) wrote; either may be missing, and its rows then say so.
// Usage: node scripts/bench-targets.mjs <first-load.json> <keystrokes.json>
import { existsSync, readFileSync } from 'node:fs';

const [loadPath, keysPath] = process.argv.slice(2);
const read = (path) => (path && existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
const load = read(loadPath)?.[0];
const keys = read(keysPath)?.summaries;
const bare = keys?.find((s) => s.label.startsWith('bare'));
const ixn = keys?.find((s) => s.label.startsWith('IXN'));

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes) => `${(bytes / 1048576).toFixed(2)} MiB`;
const ms = (value) => `${value.toFixed(0)} ms`;
const verdict = (ok) => (ok ? 'met' : 'not met');
const rows = [];
if (load) {
  rows.push(['first load before interactive, brotli', kib(load.firstLoad.brotli), '≤ 250 KiB (stretch ≤ 170)',
    `${verdict(load.firstLoad.brotli <= 250 * 1024)}${load.firstLoad.brotli <= 170 * 1024 ? ', stretch met' : ''}`]);
  rows.push(['navigation → form interactive (median)', ms(load.interactive), '≤ 250 ms', verdict(load.interactive <= 250)]);
  for (const lazy of load.lazy) {
    rows.push([`click → first output: ${lazy.label}, ${lazy.module} cold (median)`, ms(lazy.shown), '≤ 150 ms', verdict(lazy.shown <= 150)]);
  }
  const total = load.loaded.heap + load.loaded.wasm.reduce((a, b) => a + b, 0);
  rows.push(['JS heap after GC + wasm memory, after load', mib(total), '≤ 3 MiB', verdict(total <= 3 * 1048576)]);
} else {
  rows.push(['first load, interactive, lazy first use, memory', `no ${loadPath ?? 'first-load figures'}`, '', '']);
}
if (bare && ixn) {
  const ratio = ixn.busyP50 / bare.busyP50;
  rows.push(['keystroke busy p50 / p95, IXN (bare page)',
    `${ixn.busyP50.toFixed(1)} / ${ixn.busyP95.toFixed(1)} ms (${bare.busyP50.toFixed(1)} / ${bare.busyP95.toFixed(1)}): p50 ${ratio.toFixed(2)}× bare`,
    'p50 ≤ 1.5× bare', verdict(ratio <= 1.5)]);
} else {
  rows.push(['keystroke busy p50 / p95 against the bare page', `no ${keysPath ?? 'keystroke figures'}`, '', '']);
}
console.log('issue 26 targets (this run; figures from the tables above)');
console.log('');
console.log('| target | measured | goal | |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
