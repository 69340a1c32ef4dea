// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core, and the release build served on 127.0.0.1.
import { createDecipheriv, constants, privateDecrypt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
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

/** The CLI, built from the same core as the app: the reference for exported bytes. */
export const pecfg = (...args) => execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', ...args], { encoding: 'utf8' });

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function serveDist(basePath = '/') {
  return startStaticServer({ root: DIST, basePath });
}

/** What one test file's tests share: the browser and the release build served (for `before`). */
export async function startSuite() {
  return { browser: await launchBrowser(), served: await serveDist() };
}

/** The end of `startSuite` (for `after`); either part may be missing when `before` failed. */
export async function stopSuite({ browser, served }) {
  await browser?.close();
  served?.server.close();
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
  await page.addInitScript(paintStack, { stackBytes: wasmLayout().stackBytes, paint: STACK_PAINT });
  await page.goto(url);
  await page.waitForSelector('.chart-button');
  return { context, page, requests, errors };
}

/**
 * Where the release wasm keeps its stack, read from the binary: the stack pointer's starting value
 * (the first mutable i32 global, which rust-lld makes `__stack_pointer`) is the stack's size, as
 * the stack sits at the bottom of linear memory and grows down to 0; `dataStart` is the lowest
 * address a data segment is loaded at.
 */
const layouts = new Map();
export function wasmLayout(dist = DIST) {
  if (!layouts.has(dist)) layouts.set(dist, readLayout(dist));
  return layouts.get(dist);
}

function readLayout(dist) {
  const file = readdirSync(dist).find((name) => name.endsWith('_bg.wasm'));
  const bytes = readFileSync(`${dist}/${file}`);
  let at = 8;
  const leb = (signed = false) => {
    let result = 0n;
    let shift = 0n;
    let byte;
    do {
      byte = bytes[at++];
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (signed && byte & 0x40) result -= 1n << shift;
    return Number(result);
  };
  let stackBytes;
  let dataStart = Infinity;
  while (at < bytes.length) {
    const section = bytes[at++];
    const size = leb();
    const end = at + size;
    if (section === 6 && stackBytes === undefined) {
      const count = leb();
      for (let index = 0; index < count && stackBytes === undefined; index += 1) {
        const [type, mutable, opcode] = [bytes[at], bytes[at + 1], bytes[at + 2]];
        at += 3;
        // i32, mutable, i32.const: the stack pointer. Other globals here are constants.
        if (opcode !== 0x41) break;
        const value = leb(true);
        at += 1; // end
        if (type === 0x7f && mutable === 1) stackBytes = value;
      }
    }
    if (section === 11) {
      const count = leb();
      for (let index = 0; index < count; index += 1) {
        const flags = leb();
        if (flags === 0 && bytes[at] === 0x41) {
          at += 1;
          dataStart = Math.min(dataStart, leb(true));
          at += 1; // end
        } else if (flags !== 1) {
          break; // a form rust-lld does not write; the start found so far stands
        }
        at += leb();
      }
    }
    at = end;
  }
  return { stackBytes, dataStart };
}

const STACK_PAINT = 0xa5;

/**
 * Runs in the page before its scripts: when the app's wasm is instantiated, before its `main`
 * runs, the stack region is filled with a pattern; what a page later finds overwritten is the
 * deepest its stack went (`stackUsed`). Only the first instance is the app's: a lazy module
 * (src/capability.rs) instantiated later has a memory of its own, left alone.
 */
function paintStack({ stackBytes, paint: pattern }) {
  const paint = (instance) => {
    const memory = instance?.exports?.memory;
    if (!memory || !stackBytes || window.__pecfgMemory) return;
    window.__pecfgMemory = memory;
    new Uint8Array(memory.buffer, 0, stackBytes).fill(pattern);
  };
  const { instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.instantiateStreaming = async (...args) => {
    const result = await instantiateStreaming(...args);
    paint(result.instance);
    return result;
  };
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate(...args);
    paint(result instanceof WebAssembly.Instance ? result : result.instance);
    return result;
  };
}

/** The most stack the page's wasm has used since it was loaded, in bytes (see `paintStack`). */
export async function stackUsed(page) {
  const { stackBytes } = wasmLayout();
  return page.evaluate(
    ({ stackBytes, paint }) => {
      const stack = new Uint8Array(window.__pecfgMemory.buffer, 0, stackBytes);
      let lowest = 0;
      while (lowest < stack.length && stack[lowest] === paint) lowest += 1;
      return stack.length - lowest;
    },
    { stackBytes, paint: STACK_PAINT },
  );
}

/**
 * Fails when the page's wasm has used more than a quarter of its stack: an overflow would kill the
 * page (it traps below address 0), so the deepest input must leave room to spare.
 */
export async function assertStackHeadroom(page, what) {
  const { stackBytes } = wasmLayout();
  const used = await stackUsed(page);
  if (used > stackBytes / 4) {
    throw new Error(`${what}: the wasm used ${used} bytes of its ${stackBytes}-byte stack, more than a quarter`);
  }
  return used;
}

export function outputPath(name) {
  mkdirSync(OUTPUT, { recursive: true });
  return `${OUTPUT}/${name}`;
}

/**
 * Finds a field the way a user does, through the form's search, then clears the search again. The
 * form of a large chart renders a block of fields as it comes near the viewport (section_view.rs),
 * so a field far down is not in the page until something reaches it; once rendered, it stays.
 * `where` is a page, a frame or a frame locator.
 */
export async function revealField(where, path) {
  await where.locator('#field-search').fill(path);
  await where.locator(`.field[data-path="${path}"]`).waitFor();
  await where.locator('#field-search').fill('');
}

/**
 * Scrolls through the whole form as a reader would, so that every block of fields is in the page
 * (section_view.rs renders a block of fields as it comes near the viewport and keeps it), then
 * back to the top. For tests that look at every field at once; the rest reach fields as a user
 * does. Runs in the page, so the Firefox tests use it too.
 */
export async function renderAllFields(page) {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    for (let step = 0; step < 2000; step += 1) {
      // Blocks of a section a filter hides have no box and are left as they are.
      const next = [...document.querySelectorAll('.field-block[data-pending]')].find((block) => block.offsetParent !== null);
      if (!next) break;
      next.scrollIntoView();
      await frame();
    }
    scrollTo(0, 0);
  });
}

/**
 * The files of a zip the page wrote, by name (stored or deflated entries), read through the
 * central directory so sizes are the real ones.
 */
export function readZip(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const files = new Map();
  for (let index = 0; index < count; index += 1) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged central directory');
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataAt, dataAt + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/**
 * Opens one sealed value as the sealed-secrets controller does: 2-byte length, RSA-OAEP(SHA-256,
 * label) session key, AES-256-GCM with a zero nonce.
 */
export function openSealed(base64, label, key) {
  const blob = Buffer.from(base64, 'base64');
  const length = blob.readUInt16BE(0);
  const sessionKey = privateDecrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) },
    blob.subarray(2, 2 + length),
  );
  const sealed = blob.subarray(2 + length);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
}

/**
 * The lazy modules' files as the release build names them (scripts/postbuild.mjs's
 * `pecfg-modules` block in index.html): `{ tools: { js, wasm } }`, names relative to the page.
 */
export function lazyModules(dist = DIST) {
  const html = readFileSync(`${dist}/index.html`, 'utf8');
  const block = html.match(/<script type="application\/json" id="pecfg-modules">([^<]*)<\/script>/);
  if (!block) throw new Error(`${dist}/index.html has no pecfg-modules block`);
  return JSON.parse(block[1]);
}

/** The catalog files, as postbuild.mjs names them in index.html's pecfg-catalog block: `ixn.json` → `catalog/ixn-<hash>.json`. */
export function catalogFiles(dist = DIST) {
  const html = readFileSync(`${dist}/index.html`, 'utf8');
  const block = html.match(/<script type="application\/json" id="pecfg-catalog">([^<]*)<\/script>/);
  if (!block) throw new Error(`${dist}/index.html has no pecfg-catalog block`);
  return JSON.parse(block[1]);
}

/** Whether a request URL is one of the files the page fetches when first needed: a chart's
 * catalog file, or a lazy module's. */
export function isOnDemandFile(url, dist = DIST) {
  const path = new URL(url).pathname;
  return Object.values(catalogFiles(dist)).some((file) => path.endsWith(`/${file}`))
    || Object.values(lazyModules(dist)).some((files) => isModuleFile(url, files));
}

/** Whether a request URL is one of a lazy module's files (`files`: one entry of `lazyModules()`). */
export const isModuleFile = (url, files) => {
  const path = new URL(url).pathname;
  return path.endsWith(`/${files.js}`) || path.endsWith(`/${files.wasm}`);
};

/**
 * Opens a chart from the picker and waits until its form is drawn: a chart's catalog file is
 * fetched the first time it is shown, so the button's pressed state comes before the fields.
 */
export async function pickChart(page, id) {
  await page.click(`.chart-button[data-chart="${id}"]`);
  await page.waitForSelector(`.chart-button[data-chart="${id}"][aria-pressed="true"]`);
  await page.waitForFunction(() => !document.querySelector('#chart-loading') && document.querySelector('.field-block, .field[data-kind]'));
}

/** Waits until a lazily loaded module (`tools`) is instantiated: the page names it in `<html data-modules-ready>`. */
export async function waitForModule(page, key = 'tools') {
  await page.waitForFunction((name) => (document.documentElement.dataset.modulesReady ?? '').split(' ').includes(name), key);
}

/** The offline single file (scripts/build-single-file.mjs). */
export const OFFLINE_FILE = resolve(process.env.PECFG_OFFLINE ?? 'dist-offline/pe-configurator.html');

/**
 * Opens the offline single file over file:// in a fresh offline context: every request but the
 * page's own file: and data: URLs is aborted and recorded in `refused`; `errors` collects console
 * errors and uncaught exceptions.
 */
export async function openOfflineFile(browser, file = OFFLINE_FILE) {
  if (!existsSync(file)) throw new Error(`${file}: no single file (scripts/build-single-file.mjs)`);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.setOffline(true);
  const refused = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    refused.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('.chart-button');
  return { context, page, refused, errors };
}
