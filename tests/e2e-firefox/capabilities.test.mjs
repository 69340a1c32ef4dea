// Firefox ESR end-to-end (issue 26): every capability of the lazy tools module, used first (it is
// what loads the module), a second time and after a chart change, served and from the offline
// single file over file:// with every other request aborted. The matrix is Chromium's
// (tests/e2e/capabilities.mjs: page.click and page.evaluate only, which Puppeteer shares).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CAPABILITIES, exercise, exercisePage, PAGES } from '../e2e/capabilities.mjs';
import { launchFirefox, networkRequests, openApp, openOffline, serveDist } from './harness.mjs';

const GROUP = readFileSync('tests/groups/example.yaml', 'utf8');

let firefox;
let served;

before(async () => {
  firefox = await launchFirefox();
  served = await serveDist();
});

after(async () => {
  await firefox?.close();
  served?.server.close();
});

describe('served in Firefox: every lazy capability, first, second and after a chart change', () => {
  for (const capability of [...CAPABILITIES, ...PAGES]) {
    test(capability.name, async () => {
      const { context, page, requests, errors } = await openApp(firefox.browser, served.url);
      if (PAGES.includes(capability)) await exercisePage(page, capability, GROUP);
      else await exercise(page, capability);
      assert.deepEqual(networkRequests(requests).filter((url) => !url.startsWith(served.url)), [], 'no request leaves the origin');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('the single file from file:// in Firefox: every lazy capability, every other request aborted', () => {
  for (const capability of [...CAPABILITIES, ...PAGES]) {
    test(capability.name, async () => {
      const context = await firefox.browser.createBrowserContext();
      const { page, blocked, errors } = await openOffline(context);
      if (PAGES.includes(capability)) await exercisePage(page, capability, GROUP);
      else await exercise(page, capability);
      assert.deepEqual(blocked, [], 'nothing but the file itself');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
