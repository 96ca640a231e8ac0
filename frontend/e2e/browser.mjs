// @ts-check
// Launches Debian's Chromium headless through playwright-core (never `playwright install`: no downloads here).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A fresh browser with an empty profile; the caller closes it. `ignoreHTTPSErrors` for a test node's self-signed
 * certificate (its tests pin it themselves; the browser only drives the page).
 */
export async function launch({ ignoreHTTPSErrors = false } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'steward-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1400, height: 900 },
    ignoreHTTPSErrors,
  });
}

/**
 * The steps of a script on one page. `step(name, body)` prints `STEP name ok (seconds)`, or `FAIL name: why`, screenshots
 * `failure.png`, closes the browser and exits 1; an error thrown in the page fails the step it happened in.
 * `shot(name)` saves `name.png` in `shots`.
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} page
 * @param {string} shots
 */
export function stepper(context, page, shots) {
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The node sends a strict Content-Security-Policy; anything of the dashboard it blocks is a failure here.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  /** @param {string} name */
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  /**
   * @param {string} name
   * @param {() => Promise<void>} body
   */
  async function step(name, body) {
    const started = Date.now();
    try {
      await body();
      if (pageErrors.length > 0) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
      console.log(`STEP ${name} ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
      await shot('failure').catch(() => {});
      await context.close();
      process.exit(1);
    }
  }
  return { step, shot };
}

export function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`FAIL setup: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function until(what, probe, timeoutMs = 30_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
}

/**
 * Pixels of a uPlot canvas close to a series colour: grid lines and labels are grey, so only drawn data counts.
 * @param {import('playwright-core').Locator} canvas
 * @param {[number, number, number]} rgb
 */
export async function seriesPixels(canvas, rgb) {
  return canvas.evaluate((element, colour) => {
    const c = /** @type {HTMLCanvasElement} */ (element);
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!data) return 0;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 100 && Math.abs(data[i] - colour[0]) < 40 && Math.abs(data[i + 1] - colour[1]) < 40
        && Math.abs(data[i + 2] - colour[2]) < 40) count++;
    }
    return count;
  }, rgb);
}
