// Every capability of the lazy tools module, used first (the module not loaded yet), second, and
// after a chart change (issue 26), in any browser: the steps use only `page.click` and
// `page.evaluate` with one argument, which Playwright (Chromium) and Puppeteer (Firefox) share.
// Each capability is checked in a page of its own, so that it is the one that loads the module.

/** Polls `probe(arg)` in the page until it returns a truthy value (a boolean, string or plain
 * object: Puppeteer over BiDi does not serialize DOM nodes); fails with `what` and the last value. */
export async function until(page, probe, arg, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await page.evaluate(probe, arg);
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a chart from the picker and waits for its form (its catalog file may be fetched first). */
export async function openChart(page, id) {
  await page.click(`.chart-button[data-chart="${id}"]`);
  await until(page, (chart) => document.querySelector(`.chart-button[data-chart="${chart}"]`)?.getAttribute('aria-pressed') === 'true'
    && !document.querySelector('#chart-loading') && !!document.querySelector('.field-block, .field[data-kind]'), id, `the form of ${id}`);
}

/** Sets a text box as typing does (the app listens to `input`). */
async function type(page, selector, text) {
  await page.evaluate(([where, value]) => {
    const element = document.querySelector(where);
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  }, [selector, text]);
}

/** The text of the first element `selector` finds, once it is there, not busy, and `accept` holds
 * (a failed module load ends the wait with its message). */
async function textOf(page, selector, what, accept = (text) => text.length > 0, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await page.evaluate((where) => {
      const failed = document.querySelector('.module-failed');
      if (failed) return { failed: failed.textContent };
      const element = document.querySelector(where);
      if (!element || element.closest('[aria-busy="true"]') || element.querySelector('[aria-busy="true"]')) return null;
      return { text: element.textContent };
    }, selector);
    if (last?.failed) return `FAILED: ${last.failed}`;
    if (last && accept(last.text)) return last.text;
    if (Date.now() > deadline) throw new Error(`${what}: not shown in ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A preview tab: its text names the chart shown (every file's header does). */
const fileTab = (key) => ({
  name: `${key} tab`,
  async use(page, chart) {
    await page.click('#tab-values-yaml');
    await page.click(`#tab-${key}`);
    return textOf(page, '#export-preview', `${key} of ${chart}`, (text) => text.includes(`(chart ${chart})`));
  },
  expect: (text, chart) => text.includes(`(chart ${chart})`),
});

/** Two charts the matrix moves between, and a value each reads back (a path it has, typed as YAML). */
export const CHARTS = [
  { id: 'middleware', name: 'Genesys Cloud integration middleware', yaml: 'autoscaling:\n  maxReplicas: 7\n', shows: 'maxReplicas: 7' },
  { id: 'tenant-monitor', name: 'Voice Tenant Monitor', yaml: 'tenant:\n  logging:\n    volume:\n      logClaimSize: 7Gi\n', shows: 'logClaimSize: 7Gi' },
];

/** values.yaml's preview once it shows `wanted`. */
async function valuesYaml(page, wanted) {
  await page.click('#tab-values-yaml');
  return textOf(page, '#export-preview', `values.yaml with ${wanted}`, (text) => text.includes(wanted));
}

export const CAPABILITIES = [
  fileTab('secrets-yaml'),
  fileTab('commands-sh'),
  fileTab('commands-ps1'),
  {
    name: 'values.schema.json tab',
    async use(page, chart) {
      await page.click('#tab-values-yaml');
      await page.click('#tab-values-schema-json');
      const { name } = CHARTS.find(({ id }) => id === chart);
      return textOf(page, '#export-preview', `the schema of ${chart}`, (text) => text.startsWith('{') && text.includes(`"title": "${name} values"`));
    },
    expect: (text, chart) => JSON.parse(text).title === `${CHARTS.find(({ id }) => id === chart).name} values`,
  },
  {
    name: 'Mirror tab',
    async use(page, chart) {
      await page.click('#tab-values-yaml');
      await page.click('#tab-mirror');
      return textOf(page, '#mirror-report, #mirror-refused', `the mirror of ${chart}`, (text) => text.includes(`chart ${chart}:`));
    },
    expect: (text, chart) => text.includes(`chart ${chart}:`),
  },
  {
    name: 'Edit YAML',
    async use(page, chart) {
      const { yaml, shows } = CHARTS.find(({ id }) => id === chart);
      await page.click('#tab-values-yaml');
      await page.click('#tab-edit-yaml');
      await until(page, () => !!document.querySelector('#yaml-view-text'), null, 'the Edit YAML box');
      // Typed while the module may still be on its way: applied once it is ready.
      await type(page, '#yaml-view-text', yaml);
      return valuesYaml(page, shows);
    },
    expect: (text, chart) => text.includes(CHARTS.find(({ id }) => id === chart).shows),
  },
  {
    name: 'Diff tab',
    async use(page, chart) {
      await page.click('#tab-values-yaml');
      await page.click('#tab-diff');
      return textOf(page, '.diff-view', `the diff of ${chart}`);
    },
    expect: (text) => /Everything is at the chart defaults\.|Default/.test(text),
  },
  {
    name: 'Import',
    async use(page, chart) {
      const { yaml, shows } = CHARTS.find(({ id }) => id === chart);
      await page.click('#tab-values-yaml');
      await page.click('#tab-import');
      await until(page, () => !!document.querySelector('#import-paste'), null, 'the import box');
      await type(page, '#import-paste', yaml);
      await page.click('#import-button');
      await textOf(page, '#import-report', `the import report of ${chart}`);
      return valuesYaml(page, shows);
    },
    expect: (text, chart) => text.includes(CHARTS.find(({ id }) => id === chart).shows),
  },
  {
    name: 'share link',
    async use(page) {
      await page.click('#share-link');
      return until(page, () => {
        const value = document.querySelector('#share-url')?.value ?? '';
        return value.includes('#v1.') ? value : (document.querySelector('.module-failed')?.textContent ?? null);
      }, null, 'the share link');
    },
    expect: (text) => /#v1\.[A-Za-z0-9_-]+$/.test(text),
  },
];

/**
 * Uses `capability` first (in a page where nothing loaded the tools module), a second time, and
 * after a chart change; returns what each use gave, and throws with the reason when one fails.
 */
export async function exercise(page, capability) {
  const [first, second] = CHARTS;
  await openChart(page, first.id);
  const loadedBefore = await page.evaluate(() => document.documentElement.dataset.modulesReady ?? '');
  if (loadedBefore.includes('tools')) throw new Error(`${capability.name}: the tools module was loaded before its first use`);
  const uses = [];
  for (const [chart, when] of [[first.id, 'first use'], [first.id, 'second use'], [second.id, 'after a chart change']]) {
    if (when === 'after a chart change') await openChart(page, chart);
    const text = await capability.use(page, chart);
    if (typeof text !== 'string' || text.startsWith('FAILED') || !capability.expect(text, chart)) {
      throw new Error(`${capability.name}, ${when} (${chart}): ${JSON.stringify(String(text).slice(0, 300))}`);
    }
    uses.push(text);
  }
  return uses;
}

/** The environment and the unit group: pages, each drawn from the tools module's answers. */
export const PAGES = [
  {
    name: 'Environment',
    async open(page) {
      await page.click('#open-environment');
      await until(page, () => !!(document.querySelector('#env-name') || document.querySelector('.module-failed')), null, 'the environment view');
    },
    async use(page, chart) {
      const ticked = await page.evaluate((id) => document.querySelector(`#env-member-${id}`)?.checked, chart);
      if (!ticked) {
        await until(page, (id) => !!document.querySelector(`#env-member-${id}`), chart, `the ${chart} checkbox`);
        await page.click(`#env-member-${chart}`);
      }
      return until(page, (id) => {
        const failed = document.querySelector('.module-failed');
        if (failed) return `FAILED: ${failed.textContent}`;
        const row = document.querySelector(`#env-charts tr[data-chart="${id}"]`);
        const preview = document.querySelector('#plan-preview')?.textContent ?? '';
        return row && preview.length > 0 ? `${row.textContent}\n${preview}` : null;
      }, chart, `${chart} in the environment and its plan`);
    },
    expect: (text) => !text.startsWith('FAILED'),
  },
  {
    name: 'Unit group',
    async open(page, groupText) {
      await page.click('#open-group');
      await until(page, () => !!document.querySelector('#group-text'), null, 'the group view');
      const empty = await page.evaluate(() => document.querySelector('#group-text').value === '');
      if (empty) await type(page, '#group-text', groupText);
    },
    async use(page) {
      return until(page, () => {
        const failed = document.querySelector('.module-failed');
        if (failed) return `FAILED: ${failed.textContent}`;
        const units = [...document.querySelectorAll('.group-unit')].map((unit) => unit.dataset.unit);
        return units.length > 0 ? units.join(' ') : null;
      }, null, 'the group\u2019s units');
    },
    expect: (text) => text.split(' ').includes('eu-west-a'),
  },
];

/** Uses a page first, again after visiting a chart, and after a chart change (another chart opened, then back). */
export async function exercisePage(page, which, groupText) {
  const [first, second] = CHARTS;
  const loadedBefore = await page.evaluate(() => document.documentElement.dataset.modulesReady ?? '');
  if (loadedBefore.includes('tools')) throw new Error(`${which.name}: the tools module was loaded before its first use`);
  for (const [chart, when] of [[first.id, 'first use'], [first.id, 'second use'], [second.id, 'after a chart change']]) {
    if (when !== 'first use') await openChart(page, when === 'second use' ? first.id : second.id);
    await which.open(page, groupText);
    const text = await which.use(page, chart);
    if (typeof text !== 'string' || text.startsWith('FAILED') || !which.expect(text, chart)) {
      throw new Error(`${which.name}, ${when}: ${JSON.stringify(String(text).slice(0, 300))}`);
    }
  }
}
