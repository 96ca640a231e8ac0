import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeNode, renderInApp } from '../../test-support';
import { check } from './check-fixtures';
import { ImportDialog } from './import-dialog';
import type { ImportRequest } from './types';

afterEach(cleanup);

const GATUS = 'endpoints:\n  - name: Homepage\n    url: https://example.com/health\n  - name: Ping\n    url: icmp://10.0.0.1\n';

describe('ImportDialog', () => {
  it('previews with a dry run, then imports exactly what was previewed', async () => {
    const fake = fakeNode((call) => {
      if (call.method !== 'POST' || call.path !== '/api/checks/import') return undefined;
      const request = call.body as ImportRequest;
      return request.dryRun
        ? { body: { created: [{ name: 'Homepage', kind: 'http', url: 'https://example.com/health', interval: 'PT60S', retries: 2,
          timeout: 'PT10S', vantages: { kind: 'all' } }], skipped: [{ name: 'Ping', reason: 'icmp checks are not supported' }] } }
        : { body: { created: [check()], skipped: [{ name: 'Ping', reason: 'icmp checks are not supported' }] } };
    });
    const imported = vi.fn();
    renderInApp(<ImportDialog onClose={() => {}} onImported={imported} />, fake.http);
    expect((screen.getByTestId('import-confirm') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('import-format-gatus'));
    fireEvent.change(screen.getByTestId('import-content'), { target: { value: GATUS } });
    fireEvent.click(screen.getByTestId('import-preview'));

    const preview = await screen.findByTestId('import-preview-result');
    expect(preview.textContent).toContain('Would create (1)');
    expect(screen.getByTestId('import-created').textContent).toContain('Homepage');
    expect(screen.getByTestId('import-created').textContent).toContain('https://example.com/health');
    expect(screen.getByTestId('import-skipped').textContent).toBe('Ping: icmp checks are not supported');
    expect(fake.calls).toEqual([{ method: 'POST', path: '/api/checks/import', body: { format: 'gatus', content: GATUS, dryRun: true } }]);
    expect(imported).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId('import-confirm'));
    await screen.findByTestId('import-done');
    expect(screen.getByTestId('import-done').textContent).toBe('Created 1 check, skipped 1.');
    expect(fake.calls[1]).toEqual({ method: 'POST', path: '/api/checks/import', body: { format: 'gatus', content: GATUS, dryRun: false } });
    expect(imported).toHaveBeenCalledTimes(1);
  });

  it('asks for a new preview once the text changes, and shows the node\'s refusal', async () => {
    const fake = fakeNode((call) => ((call.body as ImportRequest | undefined)?.content === 'not json'
      ? { status: 400, body: { error: 'content: not an Uptime Kuma backup (no monitorList)', code: 'invalid' } }
      : { body: { created: [{ name: 'A', kind: 'tcp', host: 'a', port: 22 }], skipped: [] } }));
    renderInApp(<ImportDialog onClose={() => {}} onImported={() => {}} />, fake.http);
    fireEvent.click(screen.getByTestId('import-preview'));
    expect(screen.getByRole('alert').textContent).toBe('content: choose a file or paste its text');
    expect(fake.calls).toEqual([]);

    fireEvent.change(screen.getByTestId('import-content'), { target: { value: '{"monitorList": []}' } });
    fireEvent.click(screen.getByTestId('import-preview'));
    await screen.findByTestId('import-preview-result');
    expect((screen.getByTestId('import-confirm') as HTMLButtonElement).disabled).toBe(false);

    fireEvent.change(screen.getByTestId('import-content'), { target: { value: 'not json' } });
    expect(screen.queryByTestId('import-preview-result')).toBeNull();
    expect((screen.getByTestId('import-confirm') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('import-preview'));
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toBe('content: not an Uptime Kuma backup (no monitorList)'));
    expect(fake.calls.every((c) => (c.body as ImportRequest).dryRun === true)).toBe(true);
  });

  it('reads a chosen file', async () => {
    const fake = fakeNode(() => ({ body: { created: [], skipped: [] } }));
    renderInApp(<ImportDialog onClose={() => {}} onImported={() => {}} />, fake.http);
    const file = new File(['{"monitorList": []}'], 'backup.json', { type: 'application/json' });
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
    await waitFor(() => expect((screen.getByTestId('import-content') as HTMLTextAreaElement).value).toBe('{"monitorList": []}'));
    fireEvent.click(screen.getByTestId('import-preview'));
    await screen.findByTestId('import-preview-result');
    expect(fake.calls[0]!.body).toEqual({ format: 'uptime-kuma', content: '{"monitorList": []}', dryRun: true });
    // Nothing to create: nothing to import.
    expect((screen.getByTestId('import-confirm') as HTMLButtonElement).disabled).toBe(true);
  });
});
