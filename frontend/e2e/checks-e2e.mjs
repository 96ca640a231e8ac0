// @ts-check
// URL checks end to end in a real headless Chromium against a running node whose agent probes a real local HTTP
// server: create an HTTP check in the form, see it go up with its latency drawn, stop the target, see it go down.
// Run by the node's ChecksE2EIT, which starts the agent and the target (its /stop stops it). Prints `CHECK <id>`.
// By hand: the STEWARD_* variables read below, then node e2e/checks-e2e.mjs
import { mkdirSync } from 'node:fs';
import { launch, required, seriesPixels, stepper, until } from './browser.mjs';

const url = required('STEWARD_URL');
const user = required('STEWARD_USER');
const password = required('STEWARD_PASSWORD');
const shots = required('STEWARD_SCREENSHOTS');
const serverId = required('STEWARD_SERVER_ID');
/** The target's health URL; `${site}/stop` stops the target for good. */
const site = required('STEWARD_SITE_URL');
mkdirSync(shots, { recursive: true });

const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
const { step, shot } = stepper(context, page, shots);
const state = page.getByTestId('check-state');
let checkId = '';

await step('login', async () => {
  await page.goto(url);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('nav-checks').click({ timeout: 30_000 });
  await page.getByTestId('checks-page').waitFor({ timeout: 15_000 });
});

await step('create-check', async () => {
  await page.getByTestId('checks-empty').waitFor({ timeout: 15_000 });
  await page.getByTestId('new-check').click();
  const form = page.getByTestId('check-form');
  await form.waitFor();
  await form.getByTestId('check-form-name').fill('Homepage');
  await form.getByTestId('check-form-kind').selectOption('http');
  await form.getByTestId('check-form-url').fill(`${site}/health`);
  await form.getByTestId('check-form-keyword').fill('all ok');
  await form.getByTestId('check-form-interval').fill('10');
  await form.getByTestId('check-form-timeout').fill('3');
  await form.getByTestId('check-form-retries').fill('0');
  await form.getByTestId('check-form-vantages-servers').check();
  await form.getByTestId(`check-form-vantage-server-${serverId}`).check({ timeout: 15_000 });
  await shot('check-form');
  await form.getByTestId('check-form-save').click();
  // A new check opens its own page.
  await page.waitForURL(/\/checks\/[^/]+$/, { timeout: 15_000 });
  checkId = decodeURIComponent(page.url().split('/').pop() ?? '');
  await page.locator(`[data-testid=check-page][data-check-id="${checkId}"]`).waitFor();
  console.log(`CHECK ${checkId}`);
});

await step('up-with-latency', async () => {
  await until('the check up', async () => (await state.textContent())?.trim() === 'up', 30_000);
  // Each run adds a point: two are a line.
  await page.getByTestId('run-check').click();
  await until('the latency line drawn', async () => {
    const canvas = page.getByTestId('latency-chart').locator('canvas').first();
    return (await canvas.count()) > 0 && (await seriesPixels(canvas, [59, 130, 246])) > 50;
  }, 30_000, 500);
  await shot('check-up');
});

await step('target-stopped-down', async () => {
  await fetch(`${site}/stop`).catch(() => {});
  await until('the target gone', async () => {
    try {
      await fetch(`${site}/health`);
      return false;
    } catch {
      return true;
    }
  }, 10_000);
  await page.getByTestId('run-check').click();
  await until('the check down', async () => (await state.textContent())?.trim() === 'down', 30_000);
  const vantage = page.locator(`[data-testid=vantage-row][data-server-id="${serverId}"]`);
  await until('the vantage down', async () => (await vantage.getAttribute('data-state')) === 'down', 15_000);
  await shot('check-down');
});

await context.close();
