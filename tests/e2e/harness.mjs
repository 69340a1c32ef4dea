// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core, and the release build served on 127.0.0.1.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/static-server.mjs';

export const DIST = process.env.PECFG_DIST ?? 'dist';
export const OUTPUT = 'test-output';

// The flags keep Chromium from reaching out on its own (this machine has no network but the registries).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function serveDist(basePath = '/') {
  return startStaticServer({ root: DIST, basePath });
}

/**
 * Opens the app and records every request the page makes and every console error, so a test can
 * prove that nothing leaves the page and that the CSP blocked nothing of our own.
 */
export async function openApp(browser, url, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page.waitForSelector('.chart-button');
  return { context, page, requests, errors };
}

export function outputPath(name) {
  mkdirSync(OUTPUT, { recursive: true });
  return `${OUTPUT}/${name}`;
}
