// @ts-check
// The dashboard end to end in a real headless Chromium against a running node with real agents. Run by the
// node's DashboardE2EIT (mvn verify); by hand: STEWARD_URL=... STEWARD_USER=... STEWARD_PASSWORD=...
// STEWARD_SCREENSHOTS=dir [STEWARD_SERVER_HOSTNAME=host] node e2e/dashboard-e2e.mjs
import { mkdirSync } from 'node:fs';
import { launch, required, seriesPixels, stepper, until } from './browser.mjs';

const url = required('STEWARD_URL');
const user = required('STEWARD_USER');
const password = required('STEWARD_PASSWORD');
const shots = required('STEWARD_SCREENSHOTS');
const hostname = process.env.STEWARD_SERVER_HOSTNAME;
mkdirSync(shots, { recursive: true });

const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
const { step, shot } = stepper(context, page, shots);
const BLUE = /** @type {[number, number, number]} */ ([59, 130, 246]);

const card = () => (hostname
  ? page.locator(`[data-testid=server-card][data-hostname="${hostname}"]`)
  : page.locator('[data-testid=server-card]').first());

await step('wrong-password', async () => {
  await page.goto(url);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', `${password}-wrong`);
  await page.click('button[type=submit]');
  const error = page.getByTestId('login-error');
  await error.waitFor({ timeout: 15_000 });
  const text = await error.textContent();
  if (!text?.includes('Wrong username or password')) throw new Error(`unexpected error text: ${text}`);
  await shot('login');
});

await step('login', async () => {
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await card().waitFor({ timeout: 30_000 });
});

await step('live-values', async () => {
  // Values must change in place, pushed over the socket: no reload (the marker would be lost) and no polling.
  await page.evaluate(() => { /** @type {any} */ (window).stewardMarker = 42; });
  const read = async () => `${await card().getByTestId('cpu-value').textContent()}|${await card().getByTestId('memory-value').textContent()}`;
  const first = await read();
  await until('the live CPU or memory value to change', async () => (await read()) !== first, 45_000);
  if (await page.evaluate(() => /** @type {any} */ (window).stewardMarker) !== 42) throw new Error('the page reloaded');
  await shot('overview-grid');
  await page.getByTestId('view-table').click();
  await page.getByTestId('server-table').waitFor();
  await shot('overview-table');
  await page.getByTestId('view-grid').click();
  await card().waitFor();
});

await step('detail', async () => {
  await card().click();
  await page.getByTestId('server-title').waitFor({ timeout: 15_000 });
  if (!page.url().includes('/servers/')) throw new Error(`not on a server page: ${page.url()}`);
  await page.getByTestId('detail-cpu').waitFor();
  const first = await page.getByTestId('load-1').textContent();
  const cpu = await page.getByTestId('detail-cpu').textContent();
  await until('a live update on the detail page', async () =>
    (await page.getByTestId('load-1').textContent()) !== first || (await page.getByTestId('detail-cpu').textContent()) !== cpu, 45_000);
});

await step('charts', async () => {
  const live = page.getByTestId('live-chart').first().locator('canvas');
  await until('the live CPU chart to hold drawn data', async () => (await seriesPixels(live, BLUE)) > 30, 45_000);
  await shot('detail');
  await page.getByTestId('tab-history').click();
  const history = page.getByTestId('history-chart').first().locator('canvas');
  await history.waitFor({ timeout: 20_000 });
  await until('the CPU history chart to hold drawn data', async () => (await seriesPixels(history, BLUE)) > 30, 30_000);
  await shot('history');
  await page.getByTestId('tab-processes').click();
  await until('the process table', async () => (await page.getByTestId('process-table').locator('tbody tr').count()) > 0, 15_000);
  await page.getByTestId('tab-events').click();
  await until('the event timeline', async () => (await page.getByTestId('event-timeline').locator('li').count()) > 0, 15_000);
});

await step('rename', async () => {
  const name = `E2E renamed ${Date.now() % 100000}`;
  await page.getByTestId('tab-settings').click();
  await page.fill('input[name=displayName]', name);
  await page.getByTestId('settings-save').click();
  await until('the save to be confirmed', async () => (await page.getByTestId('settings-message').textContent()) === 'Saved.');
  await shot('settings');
  await until('the header to show the new name', async () => (await page.getByTestId('server-title').textContent()) === name);
  await page.locator('a.brand').click();
  await until('the overview to show the new name', async () =>
    (await page.getByTestId('server-name').allTextContents()).includes(name), 15_000);
});

await step('add-server', async () => {
  await page.getByTestId('add-server').click();
  // The dialog opens on the one-line install; the jar's command is under "Manually".
  await page.getByTestId('add-server-manual').click();
  const command = page.getByTestId('agent-command');
  await command.waitFor({ timeout: 15_000 });
  const text = await command.textContent();
  if (!text?.includes('--token stw_enroll_')) throw new Error(`unexpected command: ${text}`);
  await shot('add-server');
  await page.keyboard.press('Escape');
  await page.getByTestId('add-server-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('theme-toggle').click();
  await page.waitForFunction(() => document.documentElement.dataset.theme !== undefined);
  await shot('overview-other-theme');
});

await step('service-restart', async () => {
  // A supervised process on the local agent, restarted from the browser: confirm, then the agent's answer.
  await page.goto(url);
  await card().first().click();
  await page.getByTestId('tab-services').click();
  const row = page.locator('[data-testid=service-row][data-service=worker][data-status=running]');
  await row.waitFor({ timeout: 20_000 });
  await row.getByTestId('service-restart').click();
  await page.getByTestId('confirm-button').click();
  const result = page.locator('[data-testid=service-action-result][data-service=worker]');
  await result.waitFor({ timeout: 40_000 });
  const outcome = await result.getAttribute('data-outcome');
  if (outcome !== 'done') throw new Error(`restart answered ${outcome}: ${await result.textContent()}`);
  await page.locator('[data-testid=service-row][data-service=worker][data-status=running]').waitFor({ timeout: 20_000 });
  await shot('services');
  await page.getByTestId('tab-events').click();
  await until('the restart in the history', async () =>
    (await page.getByTestId('event-timeline').textContent())?.includes('restart of worker requested by') ?? false, 15_000);
});

await step('alert-ack', async () => {
  // The test's rule fires on one server: the bell shows it, the alerts page lists it, and it can be acknowledged.
  await until('the bell to count the firing alert', async () => (await page.getByTestId('bell-count').count()) > 0, 20_000);
  await page.getByTestId('bell').click();
  await page.getByTestId('bell-item').first().waitFor({ timeout: 15_000 });
  await shot('bell');
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-alerts').click();
  const row = page.locator('[data-testid=alert-row][data-phase=firing]').first();
  await row.waitFor({ timeout: 20_000 });
  await shot('alerts');
  await row.getByTestId('ack-button').click();
  await page.getByTestId('ack-comment').fill('on it (e2e)');
  await page.getByTestId('ack-confirm').click();
  await row.getByTestId('alert-acked').waitFor({ timeout: 15_000 });
  const acked = await row.getByTestId('alert-acked').textContent();
  if (!acked?.includes(user)) throw new Error(`acknowledgement does not name the user: ${acked}`);
  await page.reload(); // persisted, not just shown
  await page.locator('[data-testid=alert-row][data-phase=firing] [data-testid=alert-acked]').first().waitFor({ timeout: 15_000 });
  await shot('alert-acked');
});

await step('rules-channels', async () => {
  await page.goto(`${url}/alerts/rules`);
  await until('the rules list', async () => (await page.getByTestId('edit-rule').count()) >= 5, 15_000);
  await shot('alert-rules');
  await page.goto(`${url}/alerts/channels`);
  await page.getByTestId('channel-row').first().waitFor({ timeout: 15_000 });
  await page.getByTestId('test-channel').first().click();
  await page.getByTestId('test-result').first().waitFor({ timeout: 15_000 });
  const result = await page.getByTestId('test-result').first().textContent();
  if (result !== 'Test sent') throw new Error(`test notification: ${result}`);
  await shot('channels');
});

await step('node-settings', async () => {
  // The admin's Settings page: a bad value is refused by field and saves nothing; a good one is in force, says it
  // overrides the config file, and survives a reload; storage per tier and a purge preview show.
  await page.getByTestId('nav-settings').click();
  const input = page.locator('#setting-input-offlineAfterMissedReports');
  await input.waitFor({ timeout: 15_000 });
  await input.fill('0');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('error-offlineAfterMissedReports').waitFor({ timeout: 15_000 });
  await shot('settings-error');
  await input.fill('5');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-saved').waitFor({ timeout: 15_000 });
  await page.reload();
  await until('the saved value after a reload', async () =>
    (await page.locator('#setting-input-offlineAfterMissedReports').inputValue()) === '5', 15_000);
  const source = await page.getByTestId('source-offlineAfterMissedReports').textContent();
  if (!source?.startsWith('Overridden here')) throw new Error(`source after saving: ${source}`);
  await page.getByTestId('storage-total').waitFor({ timeout: 15_000 });
  await page.getByTestId('purge-older-than').fill('30d');
  await page.getByTestId('purge-preview').click();
  await page.getByTestId('purge-preview-result').waitFor({ timeout: 15_000 });
  await shot('node-settings');
});

await step('logout', async () => {
  await page.getByTestId('logout').click();
  await page.locator('input[name=username]').waitFor({ timeout: 15_000 });
  await page.reload();
  await page.locator('input[name=username]').waitFor({ timeout: 15_000 });
  if (await card().count() > 0) throw new Error('server cards still visible after logout');
});

await context.close();
console.log('ALL OK');
