import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeNode, renderInApp } from '../test-support';
import { alertHistoryExportUrl } from './alerts/api';
import { HistoryTab as AlertHistoryTab } from './alerts/history-tab';
import { backupRunsExportUrl } from './backups/api';
import { inventoryExportUrl } from './fleet/api';
import { metricsExportUrl } from './server/api';
import { ExportLinks } from './server/export-links';

afterEach(cleanup);

describe('export URLs', () => {
  it('name the server, format and range of a metric export, and the series only when one is asked for', () => {
    const from = new Date(0);
    const to = new Date(3_600_000);
    expect(metricsExportUrl('web 1', 'csv', from, to)).toBe(
      '/api/servers/web%201/export?format=csv&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T01%3A00%3A00.000Z');
    expect(metricsExportUrl('web-1', 'json', from, to, 'disk.percent{mount=/}')).toBe(
      '/api/servers/web-1/export?format=json&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T01%3A00%3A00.000Z'
      + '&name=disk.percent%7Bmount%3D%2F%7D');
  });

  it('carry the filters of the lists they download', () => {
    expect(inventoryExportUrl('json')).toBe('/api/inventory/export?format=json');
    expect(alertHistoryExportUrl()).toBe('/api/alerts/history/export?format=csv');
    expect(alertHistoryExportUrl({ server: 'db & co', severity: 'critical' }))
      .toBe('/api/alerts/history/export?format=csv&server=db+%26+co&severity=critical');
    expect(backupRunsExportUrl()).toBe('/api/backup-runs/export?format=csv');
    expect(backupRunsExportUrl('web-1')).toBe('/api/backup-runs/export?format=csv&server=web-1');
  });
});

describe('export links', () => {
  it('download the chart range as CSV or JSON with the browser, not through the page', () => {
    render(<ExportLinks serverId="web-1" from={new Date(0)} to={new Date(60_000)} />);
    const csv = screen.getByTestId('export-metrics-csv');
    expect(csv.tagName).toBe('A');
    expect(csv.hasAttribute('download')).toBe(true);
    expect(csv.getAttribute('href')).toBe(metricsExportUrl('web-1', 'csv', new Date(0), new Date(60_000)));
    expect(screen.getByTestId('export-metrics-json').getAttribute('href')).toContain('format=json');
  });

  it('follow the alert history filters', async () => {
    const node = fakeNode((call) => (call.path.startsWith('/api/alerts/history') ? { body: [] } : undefined));
    renderInApp(<AlertHistoryTab />, node.http);
    const link = screen.getByTestId('export-alert-history');
    expect(link.getAttribute('href')).toBe('/api/alerts/history/export?format=csv');
    fireEvent.change(screen.getByTestId('history-severity'), { target: { value: 'critical' } });
    await waitFor(() => expect(screen.getByTestId('export-alert-history').getAttribute('href'))
      .toBe('/api/alerts/history/export?format=csv&severity=critical'));
    // The export has no limit: only the page asks for the newest 200.
    expect(node.calls.some((call) => call.path.includes('limit=200'))).toBe(true);
  });
});
