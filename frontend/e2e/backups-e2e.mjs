// @ts-check
// Backups end to end in a real headless Chromium against a running node whose agent backs up to a real sshd: create
// a job in the form, compare and trust the destination's host key, run it now and watch it go, then browse the
// snapshot and restore a lost file to its place. Run by the node's BackupsE2EIT, which prepares the agent, the sshd
// and the source, and checks the disk afterwards. Prints `JOB <id>` and `SNAPSHOT <name>` for it.
// By hand: the STEWARD_* variables read below, then node e2e/backups-e2e.mjs
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launch, required, stepper } from './browser.mjs';

const url = required('STEWARD_URL');
const user = required('STEWARD_USER');
const password = required('STEWARD_PASSWORD');
const shots = required('STEWARD_SCREENSHOTS');
const serverId = required('STEWARD_SERVER_ID');
/** The directory to back up; the agent's allow file allows it. */
const source = required('STEWARD_SOURCE');
/** A file in `source` that this script deletes after the backup, then restores from the snapshot. */
const lostFile = required('STEWARD_LOST_FILE');
/** A file in `source` the job's excludes must keep out of the snapshot. */
const excludedFile = required('STEWARD_EXCLUDED_FILE');
const destination = {
  host: required('STEWARD_DEST_HOST'), port: required('STEWARD_DEST_PORT'),
  user: required('STEWARD_DEST_USER'), path: required('STEWARD_DEST_PATH'),
};
/** The sshd's own fingerprint: what an admin compares the agent's with before trusting it. */
const fingerprint = required('STEWARD_HOST_KEY_FINGERPRINT');
/** The authorized_keys line the sshd was given: the page must show exactly this one. */
const keyLine = required('STEWARD_AUTHORIZED_KEYS_LINE');
/** Slow enough for the run to last a few seconds, so its progress can be seen. */
const bandwidth = required('STEWARD_BANDWIDTH_KIBPS');
mkdirSync(shots, { recursive: true });

const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
const { step, shot } = stepper(context, page, shots);
const head = page.getByTestId('backup-job-head');
const tree = page.getByTestId('backup-tree');
let jobId = '';
let snapshot = '';

await step('login', async () => {
  await page.goto(url);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=server-card]').first().click({ timeout: 30_000 });
  await page.getByTestId('server-title').waitFor({ timeout: 15_000 });
  if (!page.url().includes(`/servers/${serverId}`)) throw new Error(`not on the agent's server page: ${page.url()}`);
});

await step('create-job', async () => {
  await page.getByTestId('tab-backups').click();
  await page.getByTestId('backups-empty').waitFor({ timeout: 15_000 });
  await page.getByTestId('backups-new').click();
  const form = page.getByTestId('backup-form');
  await form.waitFor();
  await form.getByTestId('backup-form-name').fill('www');
  await form.getByTestId('backup-form-sources').fill(source);
  await form.getByTestId('backup-form-excludes').fill('*.tmp');
  await form.getByTestId('backup-form-host').fill(destination.host);
  await form.getByTestId('backup-form-port').fill(destination.port);
  await form.getByTestId('backup-form-user').fill(destination.user);
  await form.getByTestId('backup-form-path').fill(destination.path);
  await form.getByTestId('backup-form-every-hours').fill('12');
  if (!(await form.getByTestId('backup-form-schedule-every').isChecked())) throw new Error('"every N hours" is not selected');
  await form.getByTestId('backup-form-bandwidth').fill(bandwidth);
  // No test restore: one starting after the first run would hold the destination while this script restores.
  await form.getByTestId('backup-form-verify-hours').fill('0');
  if (await form.getByTestId('backup-form-source-warning').count() > 0) throw new Error('the source is outside the agent\'s allow-list');
  if (await form.getByTestId('backup-form-destination-warning').count() > 0) throw new Error('the host is outside the agent\'s allow-list');
  await shot('backup-form');
  await form.getByTestId('backup-form-save').click();
  // A new job opens its own page.
  await page.waitForURL(new RegExp(`/servers/${serverId}/backups/[^/]+$`), { timeout: 15_000 });
  jobId = decodeURIComponent(page.url().split('/').pop() ?? '');
  await page.locator(`[data-testid=backup-job-view][data-job-id="${jobId}"]`).waitFor();
  const title = await page.getByTestId('backup-job-title').textContent();
  if (title !== 'www') throw new Error(`job title: ${title}`);
  const schedule = await page.getByTestId('backup-schedule').textContent();
  if (schedule !== 'every 12 h') throw new Error(`schedule: ${schedule}`);
  console.log(`JOB ${jobId}`);
});

await step('trust-host-key', async () => {
  const line = await page.getByTestId('backup-authorized-keys-line').textContent();
  if (line !== keyLine) throw new Error(`authorized_keys line:\n  shown    ${line}\n  expected ${keyLine}`);
  // The agent fetches the key once it has the job; it arrives live.
  const hostKey = page.locator('[data-testid=backup-host-key][data-state=untrusted]');
  await hostKey.waitFor({ timeout: 30_000 });
  const seen = await hostKey.getByTestId('backup-host-key-fingerprint').textContent();
  if (seen !== fingerprint) throw new Error(`fingerprint shown ${seen}, the sshd's is ${fingerprint}`);
  if (!(await head.getByTestId('backup-run-now').isDisabled())) throw new Error('"Run now" is enabled before the key is trusted');
  await shot('backup-host-key');
  await page.getByTestId('backup-trust-key').click();
  const dialog = page.getByTestId('backup-trust-dialog');
  await dialog.waitFor();
  const asked = await dialog.getByTestId('backup-trust-fingerprint').textContent();
  if (asked !== fingerprint) throw new Error(`the dialog would trust ${asked}`);
  await dialog.getByTestId('backup-trust-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('[data-testid=backup-host-key][data-state=trusted]').waitFor({ timeout: 15_000 });
});

await step('run-now', async () => {
  await head.locator('[data-testid=backup-run-now]:enabled').click({ timeout: 15_000 });
  // The bandwidth limit keeps the run going for seconds: the bar and the running run must both show meanwhile.
  await head.locator('[data-testid=backup-progress][data-operation=run]').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid=backup-run-row][data-state=running]').waitFor({ timeout: 15_000 });
  await shot('backup-progress');
});

await step('run-succeeded', async () => {
  const row = page.locator('[data-testid=backup-run-row][data-state=succeeded]');
  await row.waitFor({ timeout: 60_000 });
  await head.getByTestId('backup-progress').waitFor({ state: 'detached', timeout: 15_000 });
  await head.locator('[data-testid=backup-status][data-state=ok]').waitFor({ timeout: 15_000 });
  const runs = await page.getByTestId('backup-run-row').count();
  if (runs !== 1) throw new Error(`${runs} runs listed, one expected`);
  const point = await page.getByTestId('backup-recovery-point').textContent();
  if (!point?.startsWith('last good')) throw new Error(`recovery point: ${point}`);
  const snapshots = page.getByTestId('backup-snapshots').locator('[data-testid^="backup-snapshot-"]');
  await snapshots.first().waitFor({ timeout: 15_000 });
  if (await snapshots.count() !== 1) throw new Error(`${await snapshots.count()} snapshots listed, one expected`);
  snapshot = ((await snapshots.first().getAttribute('data-testid')) ?? '').slice('backup-snapshot-'.length);
  if ((await row.textContent())?.includes(snapshot) !== true) throw new Error(`the run row does not name snapshot ${snapshot}`);
  await row.getByTestId('backup-run-toggle').click();
  await page.getByTestId('backup-run-log').waitFor();
  await shot('backup-run-succeeded');
  console.log(`SNAPSHOT ${snapshot}`);
});

await step('browse-snapshot', async () => {
  await page.getByTestId(`backup-snapshot-${snapshot}`).click();
  await page.locator(`[data-testid=backup-tree][data-snapshot="${snapshot}"][data-path="/"]`).waitFor({ timeout: 15_000 });
  // The snapshot holds the source under its full path: its first directory is at the top. Each listing goes over
  // SSH, so the rest of the way is the jump to the source rather than one click per directory.
  const top = source.split('/')[1];
  await tree.locator(`[data-testid=backup-tree-row][data-name="${top}"][data-kind=directory]`).waitFor({ timeout: 15_000 });
  await tree.getByTestId('backup-tree-source').click();
  await page.locator(`[data-testid=backup-tree][data-path="${source}"]`).waitFor();
  const crumbs = await tree.getByTestId('backup-tree-crumb').evaluateAll((all) => all.map((crumb) => crumb.getAttribute('data-path')));
  const expected = ['/', ...source.split('/').slice(1).map((_, index, parts) => `/${parts.slice(0, index + 1).join('/')}`)];
  if (crumbs.join(' ') !== expected.join(' ')) throw new Error(`breadcrumbs ${crumbs.join(' ')}, expected ${expected.join(' ')}`);
  await tree.locator(`[data-testid=backup-tree-row][data-name="${lostFile}"][data-kind=file]`).waitFor({ timeout: 15_000 });
  if (await tree.locator(`[data-testid=backup-tree-row][data-name="${excludedFile}"]`).count() > 0) {
    throw new Error(`${excludedFile} is in the snapshot despite the exclude`);
  }
  await shot('backup-snapshot-tree');
});

await step('restore-file', async () => {
  // The file is lost on the server; the snapshot still has it.
  rmSync(join(source, lostFile));
  await tree.getByTestId(`backup-tree-entry-${lostFile}`).click();
  const selected = await tree.getByTestId('backup-tree-selected').textContent();
  if (selected !== join(source, lostFile)) throw new Error(`selected: ${selected}`);
  await tree.getByTestId('backup-restore').click();
  const dialog = page.getByTestId('backup-restore-dialog');
  await dialog.waitFor();
  if (!(await dialog.getByTestId('backup-restore-original').isChecked())) throw new Error('"original place" is not the default');
  await dialog.getByTestId('backup-restore-overwrite-warning').waitFor();
  await shot('backup-restore-dialog');
  await dialog.getByTestId('backup-restore-confirm').click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  const result = page.locator('[data-testid=backup-restore-result]:not([data-state=running])');
  await result.waitFor({ timeout: 30_000 });
  const state = await result.getAttribute('data-state');
  if (state !== 'succeeded') throw new Error(`restore ${state}: ${await result.textContent()}`);
  await page.locator('[data-testid=backup-restore-row][data-state=succeeded]').waitFor({ timeout: 15_000 });
  await shot('backup-restored');
});

await context.close();
console.log('ALL OK');
