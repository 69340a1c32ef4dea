// Shared set-up of the Firefox tests: Debian's firefox-esr driven over WebDriver BiDi by puppeteer-core
// (no browser download), with downloads caught in a folder and every request and console error recorded.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import puppeteer from 'puppeteer-core';

// The release build, its static server and the screenshot folder are the Chromium layer's.
// renderAllFields runs in the page, so it serves puppeteer as it does playwright.
export { catalogFiles, DIST, isModuleFile, lazyModules, outputPath, renderAllFields, serveDist } from '../e2e/harness.mjs';

export const FIREFOX = process.env.PECFG_FIREFOX ?? '/usr/bin/firefox-esr';

/** The CLI, built from the same core as the app: the reference for ids, catalogs and exported bytes. */
export const pecfg = (...args) => execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', ...args], { encoding: 'utf8' });

/**
 * Starts headless Firefox ESR. Downloads go straight to a fresh folder (no dialog), and any request
 * to a host other than loopback is sent to a proxy that does not exist, so nothing can leave the
 * machine even if the page tried; the tests still record every request to prove the page never tries.
 */
export async function launchFirefox() {
  const downloads = mkdtempSync(join(tmpdir(), 'pecfg-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.alwaysOpenPanel': false,
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 9,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 9,
      'network.proxy.no_proxies_on': '127.0.0.1, localhost',
    },
  });
  const close = async () => {
    await browser.close();
    rmSync(downloads, { recursive: true, force: true });
  };
  return { browser, downloads, close };
}

/**
 * Records the page's console errors and uncaught exceptions into `errors`, and its CSP violations
 * too: over BiDi, Firefox reports a CSP refusal only in its own browser console, not as a page
 * console message, so a preload script (which the page's CSP does not govern) listens for
 * `securitypolicyviolation` events; `cspViolations(page)` reads them.
 */
export async function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.evaluateOnNewDocument(() => {
    window.__pecfgCspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.__pecfgCspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`),
    );
  });
  return errors;
}

export const cspViolations = (page) => page.evaluate(() => window.__pecfgCspViolations);

/**
 * Opens `url` in a fresh browser context (own storage) and records every request the page makes and
 * every console error, so a test can prove that nothing leaves the page and that the CSP blocked
 * nothing of the app's own.
 */
export async function openApp(browser, url) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const errors = await watchErrors(page);
  await page.goto(url);
  await page.waitForSelector('.chart-button');
  return { context, page, requests, errors };
}

export async function pickChart(page, id) {
  await page.click(`.chart-button[data-chart="${id}"]`);
  await page.waitForFunction((chart) => document.querySelector(`.chart-button[data-chart="${chart}"]`)?.getAttribute('aria-pressed') === 'true', {}, id);
  // A chart's catalog file is fetched the first time it is shown: the form comes after the button.
  await page.waitForFunction(() => !document.querySelector('#chart-loading') && document.querySelector('.field-block, .field[data-kind]'));
}

/** Replaces an input's or textarea's text by typing, as a user would (select all, then type). */
export async function fill(page, selector, text) {
  const element = await page.waitForSelector(selector);
  await element.click({ count: 3 });
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  if (text !== '') await element.type(text);
}

/**
 * Finds a field the way a user does, through the form's search, then clears the search again: the
 * form of a large chart renders a block of fields as it comes near the viewport (section_view.rs),
 * and a rendered field stays. `frame` is the page's frame holding the app (the page itself unless
 * embedded); the keys go to the page, which sends them to the focused search box.
 */
export async function revealField(page, path, frame = page) {
  const clear = async (search) => {
    await search.click({ count: 3 });
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
  };
  const search = await frame.waitForSelector('#field-search');
  await clear(search);
  await search.type(path);
  await frame.waitForSelector(`.field[data-path="${path}"]`, { visible: true });
  await clear(search);
}

export const previewText = (page) => page.$eval('#export-preview', (element) => element.textContent);

/** Waits until `name` is complete in the download folder (Firefox writes `name.part` first) and returns its bytes. */
export async function waitForDownload(downloads, name, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const present = readdirSync(downloads);
    if (present.includes(name) && !present.some((file) => file.endsWith('.part'))) {
      const bytes = readFileSync(join(downloads, name));
      if (bytes.length > 0) return bytes;
    }
    if (Date.now() > deadline) throw new Error(`no download ${name} in ${downloads} (found: ${present.join(', ') || 'nothing'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The offline single file (scripts/build-single-file.mjs). */
export const OFFLINE_FILE = resolve('dist-offline/pe-configurator.html');

/** Opens the single file with request interception on: file: URLs go through, anything else is aborted and recorded. */
export async function openOffline(context) {
  const page = await context.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const blocked = [];
  const errors = await watchErrors(page);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return request.continue();
    blocked.push(url);
    return request.abort();
  });
  await page.goto(pathToFileURL(OFFLINE_FILE).href);
  await page.waitForSelector('.chart-button');
  return { page, blocked, errors };
}

/** Requests that would reach the network: everything but the page's own data: and blob: URLs. */
export const networkRequests = (requests) => requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:'));
