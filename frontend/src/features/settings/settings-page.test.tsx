import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PurgeBody, Setting, SettingsBody, StorageBody } from '../../lib/wire';
import { fakeNode, renderInApp, type Call } from '../../test-support';
import SettingsPage from './settings-page';

afterEach(cleanup);

function setting(key: string, value: string, source: Setting['source'], configValue: string, kind: Setting['kind']): Setting {
  return {
    key, value, source, configValue, configKey: `steward.${key}`, kind, description: `About ${key}.`,
    min: kind === 'url' ? null : kind === 'count' ? '1' : '1s', max: kind === 'url' ? null : kind === 'count' ? '100' : '60s',
  };
}

const SETTINGS: SettingsBody = {
  settings: [
    setting('offlineAfterMissedReports', '5', 'database', '3', 'count'),
    setting('agentInterval', '5s', 'default', '5s', 'duration'),
    setting('publicUrl', '', 'config', '', 'url'),
  ],
};

const STORAGE: StorageBody = {
  method: 'H2: exact row counts',
  tiers: [
    { tier: 'raw', table: 'metric_raw', rows: 1200, bytes: 2048 },
    { tier: 'one-minute', table: 'metric_1m', rows: 300, bytes: 1024 },
    { tier: 'one-hour', table: 'metric_1h', rows: 20, bytes: 1024 },
  ],
  totalBytes: 4096,
};

function purgeAnswer(dryRun: boolean): PurgeBody {
  return {
    olderThan: '2026-01-01T00:00:00Z', dryRun,
    tiers: [{ tier: 'raw', table: 'metric_raw', rows: 7 }, { tier: 'one-minute', table: 'metric_1m', rows: 3 },
      { tier: 'one-hour', table: 'metric_1h', rows: 1 }],
    totalRows: 11,
  };
}

function node(onPut: (call: Call) => { status?: number; body?: unknown } = () => ({ body: SETTINGS })) {
  return fakeNode((call) => {
    if (call.method === 'GET' && call.path === '/api/settings') return { body: SETTINGS };
    if (call.method === 'GET' && call.path === '/api/settings/storage') return { body: STORAGE };
    if (call.method === 'PUT' && call.path === '/api/settings') return onPut(call);
    if (call.method === 'POST' && call.path === '/api/settings/purge') {
      return { body: purgeAnswer((call.body as { dryRun: boolean }).dryRun) };
    }
    return undefined;
  });
}

describe('SettingsPage', () => {
  it('shows each value with where it comes from, and the storage per tier', async () => {
    renderInApp(<SettingsPage />, node().http);
    expect((await screen.findByLabelText('Offline after missed reports') as HTMLInputElement).value).toBe('5');
    expect(screen.getByTestId('source-offlineAfterMissedReports').textContent)
      .toBe('Overridden here — the config file says 3');
    expect(screen.getByTestId('source-agentInterval').textContent).toContain('Built-in default');
    expect(screen.getByTestId('source-publicUrl').textContent).toContain('From the config file');
    expect(screen.getByTestId('reset-offlineAfterMissedReports')).toBeTruthy();
    expect(screen.queryByTestId('reset-agentInterval')).toBeNull();
    expect((await screen.findByTestId('storage-raw')).textContent).toContain('1,200');
    expect(screen.getByTestId('storage-method').textContent).toContain('H2');
  });

  it('sends only what changed, a count as a number, and shows the errors by field', async () => {
    const fake = node(() => ({
      status: 400,
      body: { error: 'agentInterval: must be from 1s to 1m, was 2m', code: 'invalid', fields: { agentInterval: 'must be from 1s to 1m, was 2m' } },
    }));
    renderInApp(<SettingsPage />, fake.http);
    fireEvent.change(await screen.findByLabelText('Agent interval'), { target: { value: '2m' } });
    fireEvent.change(screen.getByLabelText('Offline after missed reports'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('error-agentInterval')).textContent).toBe('must be from 1s to 1m, was 2m');
    expect(screen.getByTestId('settings-failure').textContent).toContain('Nothing was saved');
    expect(screen.queryByTestId('error-offlineAfterMissedReports')).toBeNull();
    const put = fake.calls.find((call) => call.method === 'PUT');
    expect(put?.body).toEqual({ offlineAfterMissedReports: 7, agentInterval: '2m' });
  });

  it('resets an override with null and shows what the node answers', async () => {
    const reset: SettingsBody = { settings: [setting('offlineAfterMissedReports', '3', 'config', '3', 'count'), ...SETTINGS.settings.slice(1)] };
    const fake = node(() => ({ body: reset }));
    renderInApp(<SettingsPage />, fake.http);
    fireEvent.click(await screen.findByTestId('reset-offlineAfterMissedReports'));
    await screen.findByTestId('settings-saved');
    expect(fake.calls.find((call) => call.method === 'PUT')?.body).toEqual({ offlineAfterMissedReports: null });
    expect((screen.getByLabelText('Offline after missed reports') as HTMLInputElement).value).toBe('3');
    expect(screen.getByTestId('source-offlineAfterMissedReports').textContent).toContain('From the config file');
  });

  it('purges only after a preview, up to the instant the preview counted', async () => {
    const fake = node();
    renderInApp(<SettingsPage />, fake.http);
    fireEvent.change(await screen.findByTestId('purge-older-than'), { target: { value: '30d' } });
    expect(screen.queryByTestId('purge-confirm')).toBeNull();
    fireEvent.click(screen.getByTestId('purge-preview'));
    const preview = await screen.findByTestId('purge-preview-result');
    expect(preview.textContent).toContain('Raw reports: 7 rows');
    expect(fake.calls.filter((call) => call.path === '/api/settings/purge').map((call) => call.body))
      .toEqual([{ olderThan: '30d', dryRun: true }]);
    fireEvent.click(screen.getByTestId('purge-confirm'));
    expect((await screen.findByTestId('purge-done')).textContent).toContain('Deleted 11 rows');
    expect(fake.calls.filter((call) => call.path === '/api/settings/purge').map((call) => call.body))
      .toEqual([{ olderThan: '30d', dryRun: true }, { olderThan: '2026-01-01T00:00:00Z', dryRun: false }]);
    // The storage is measured again after a purge.
    await waitFor(() => expect(fake.calls.filter((call) => call.path === '/api/settings/storage')).toHaveLength(2));
  });

  it('forgets a preview when the age changes', async () => {
    renderInApp(<SettingsPage />, node().http);
    fireEvent.click(await screen.findByTestId('purge-preview'));
    await screen.findByTestId('purge-confirm');
    fireEvent.change(screen.getByTestId('purge-older-than'), { target: { value: '1d' } });
    expect(screen.queryByTestId('purge-confirm')).toBeNull();
  });
});
