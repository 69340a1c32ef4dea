// Writes docs/screenshot.png, README's picture of the page, from the release build in dist/:
// IXN at 1440×900 with a few answers typed, so the form, the checks and the export panel show.
// Run after `make build`: `node scripts/readme-screenshot.mjs`.
import { launchBrowser, openApp, pickChart, revealField, serveDist } from '../tests/e2e/harness.mjs';

const browser = await launchBrowser();
const served = await serveDist();
try {
  const { context, page } = await openApp(browser, served.url);
  await page.setViewportSize({ width: 1440, height: 900 });
  await pickChart(page, 'ixn');
  await revealField(page, 'tenant.id');
  await page.locator('.field[data-path="tenant.id"] input').fill('9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  await page.locator('.field[data-path="tenant.sid"] input').fill('100');
  await page.evaluate(() => scrollTo(0, 0));
  await page.click('#tab-values-yaml');
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot.png' });
  await context.close();
  console.log('docs/screenshot.png written');
} finally {
  await browser.close();
  served.server.close();
}
