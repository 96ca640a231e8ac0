// @ts-check
// Installing an agent over SSH from the dashboard, end to end in a real headless Chromium: Add server → Over SSH, the
// host key checked and compared with the one the test computed, confirmed, the install's log followed to the end, and
// the new server's page showing it online. Run by the node's SshInstallE2EIT (a node over HTTPS with the agent
// bundle, a real sshd in a throwaway root). Prints `SERVER <id>`.
// By hand: the STEWARD_* variables read below, then node e2e/ssh-install-e2e.mjs
import { mkdirSync } from 'node:fs';
import { launch, required, stepper, until } from './browser.mjs';

const url = required('STEWARD_URL');
const user = required('STEWARD_USER');
const password = required('STEWARD_PASSWORD');
const shots = required('STEWARD_SCREENSHOTS');
const sshPort = required('STEWARD_SSH_PORT');
const sshPassword = required('STEWARD_SSH_PASSWORD');
/** The host key's fingerprint as ssh-keygen printed it on the "server". */
const fingerprint = required('STEWARD_SSH_FINGERPRINT');
/** Connecting, uploading 78 MiB and the agent's first report. */
const INSTALL_TIMEOUT_MS = 180_000;

// The test node's certificate is self-signed: the test pins it for its own calls.
const context = await launch({ ignoreHTTPSErrors: true });
const page = context.pages()[0] ?? (await context.newPage());
const { step, shot } = stepper(context, page, shots);
const dialog = page.getByTestId('add-server-dialog');
let serverId = '';

await step('login', async () => {
  await page.goto(url);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('add-server').waitFor({ timeout: 30_000 });
});

await step('open-over-ssh', async () => {
  await page.getByTestId('add-server').click();
  await dialog.getByTestId('add-server-ssh').click();
  await dialog.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await dialog.getByLabel('Port', { exact: true }).fill(sshPort);
  await dialog.getByLabel('User', { exact: true }).fill('root');
  await dialog.getByLabel('Password', { exact: true }).fill(sshPassword);
  if (!(await dialog.getByTestId('ssh-install').isDisabled())) throw new Error('Install is enabled before the host key was checked');
  await shot('ssh-form');
});

await step('check-host-key', async () => {
  await dialog.getByTestId('ssh-check-key').click();
  const shown = dialog.getByTestId('ssh-fingerprint');
  await shown.waitFor({ timeout: 30_000 });
  const text = (await shown.textContent())?.trim();
  if (text !== fingerprint) throw new Error(`the page shows ${text}, ssh-keygen printed ${fingerprint}`);
  const state = await dialog.getByTestId('ssh-host-key').getAttribute('data-state');
  if (state !== 'new') throw new Error(`a first install's key should be new, is ${state}`);
  if (!(await dialog.getByTestId('ssh-install').isDisabled())) throw new Error('Install is enabled before the key was confirmed');
  await shot('ssh-host-key');
});

await step('install', async () => {
  await dialog.getByTestId('ssh-confirm-key').check();
  await dialog.getByTestId('ssh-install').click();
  const progress = dialog.getByTestId('ssh-install-progress');
  await progress.waitFor({ timeout: 30_000 });
  // The password went with the start: the form that held it is gone.
  if (await dialog.locator('input[type=password]').count() !== 0) throw new Error('a password field is still on the page');
  const log = dialog.getByTestId('ssh-install-log');
  await until('the first steps of the log', async () => (await log.textContent())?.includes('== authenticate'), 60_000);
  await shot('ssh-install-running');
  await until('the install to end', async () => (await progress.getAttribute('data-state')) !== 'running', INSTALL_TIMEOUT_MS, 500);
  const state = await progress.getAttribute('data-state');
  if (state !== 'succeeded') {
    throw new Error(`the install ${state}: ${await dialog.getByTestId('ssh-install-error').textContent().catch(() => '')}\n${await log.textContent()}`);
  }
  const text = (await log.textContent()) ?? '';
  for (const line of ['== upload', '== install', '== agent-reports']) {
    if (!text.includes(line)) throw new Error(`the log lacks "${line}":\n${text}`);
  }
  const steps = await dialog.getByTestId('ssh-install-steps').locator('li').evaluateAll(
    (items) => items.map((item) => item.getAttribute('data-state')));
  if (steps.length === 0 || steps.some((each) => each !== 'done')) throw new Error(`steps not all done: ${steps.join(', ')}`);
  await shot('ssh-install-done');
});

await step('server-page', async () => {
  const link = dialog.getByTestId('ssh-install-server-link');
  serverId = decodeURIComponent((await link.getAttribute('href'))?.split('/').pop() ?? '');
  console.log(`SERVER ${serverId}`);
  await link.click();
  await page.waitForURL(/\/servers\/[^/]+$/, { timeout: 15_000 });
  await dialog.waitFor({ state: 'detached' });
  await until('the server online', async () => (await page.getByTestId('server-status').textContent())?.trim() === 'Online', 30_000);
  await shot('server-page');
});

await context.close();
