// Benchmark (prints figures, asserts nothing): keystroke → diagnostics updated in the browser, and a
// full validation pass in the browser, measured with performance.now() over 200+ keystrokes.
import { launchBrowser, serveDist } from '../tests/e2e/harness.mjs';

const KEYSTROKES = Number(process.env.PECFG_BENCH_KEYSTROKES ?? 300);
const browser = await launchBrowser();
const served = await serveDist();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(served.url);
  await page.waitForSelector('.chart-button');
  await page.click('.chart-button[data-chart="ixn"]');
  await page.waitForSelector('.field[data-path="replicaCount"] input');
  const measure = () => page.evaluate(async (count) => {
    const input = document.querySelector('.field[data-path="replicaCount"] input');
    const hasError = () => document.querySelector('.field[data-path="replicaCount"] .message.error') !== null;
    const samples = [];
    for (let index = 0; index < count; index += 1) {
      // Alternate a valid and an invalid value so that every keystroke changes the messages.
      const invalid = index % 2 === 0;
      const start = performance.now();
      input.value = invalid ? '2' : '1';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      let spins = 0;
      while (hasError() !== invalid) {
        spins += 1;
        await (spins < 1000 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 0)));
      }
      samples.push(performance.now() - start);
    }
    return samples;
  }, KEYSTROKES);
  const report = (label, timings) => {
    const sorted = [...timings].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    console.log(`browser keystroke -> messages updated (ixn, ${label}, ${timings.length} keystrokes): p50 ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms, max ${sorted.at(-1).toFixed(3)} ms`);
  };
  // A full validation of the largest chart inside the page's Wasm (timer resolution is ~0.1 ms,
  // so the mean over many runs is the figure to read).
  const runs = await page.evaluate(() => Array.from(window.wasmBindings.pecfg_bench_validate('ixn', 2000)));
  const mean = runs.reduce((sum, value) => sum + value, 0) / runs.length;
  console.log(`browser validate(ixn defaults), ${runs.length} runs: mean ${(mean * 1000).toFixed(1)} µs`);
  report('values.yaml preview open', await measure());
  // The same with a preview that does not depend on the values, to show what the live preview costs.
  await page.click('#tab-values-schema-json');
  // The schema comes from the lazy tools module (src/capability.rs): measure once it is shown.
  await page.waitForFunction(() => document.querySelector('#export-preview')?.textContent.includes('"$schema"'));
  report('schema tab open', await measure());
} finally {
  await browser.close();
  served.server.close();
}
