// End-to-end (issue 26): every capability of the lazy tools module works when used first (it is
// what loads the module), a second time, and after a chart change — served, and from the offline
// single file over file:// with every request refused. The matrix is tests/e2e/capabilities.mjs,
// shared with Firefox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CAPABILITIES, exercise, exercisePage, PAGES } from './capabilities.mjs';
import { openApp, openOfflineFile, startSuite, stopSuite } from './harness.mjs';

const GROUP = readFileSync('tests/groups/example.yaml', 'utf8');

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

describe('served: every lazy capability, first, second and after a chart change', () => {
  for (const capability of CAPABILITIES) {
    test(capability.name, async () => {
      const { context, page, errors } = await openApp(browser, served.url);
      await exercise(page, capability);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
  for (const which of PAGES) {
    test(`the ${which.name} page`, async () => {
      const { context, page, errors } = await openApp(browser, served.url);
      await exercisePage(page, which, GROUP);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('the offline single file from file://: every lazy capability, with every request refused', () => {
  for (const capability of CAPABILITIES) {
    test(capability.name, async () => {
      const { context, page, refused, errors } = await openOfflineFile(browser);
      await exercise(page, capability);
      assert.deepEqual(refused, [], 'nothing but the file itself');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
  for (const which of PAGES) {
    test(`the ${which.name} page`, async () => {
      const { context, page, refused, errors } = await openOfflineFile(browser);
      await exercisePage(page, which, GROUP);
      assert.deepEqual(refused, [], 'nothing but the file itself');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
