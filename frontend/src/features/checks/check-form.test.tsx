import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerSummary } from '../../lib/wire';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';
import { check } from './check-fixtures';
import { CheckForm } from './check-form';

afterEach(cleanup);

const field = (id: string) => screen.getByTestId(`check-form-${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(field(id), { target: { value } });
const server = (id: string, name: string) => ({ id, displayName: name, hostname: name, group: 'web', tags: ['edge'] }) as unknown as ServerSummary;

function node(answer: (call: Call) => Answer | undefined) {
  return fakeNode((call) => {
    if (call.method === 'GET' && call.path === '/api/servers') return { body: [server('web-01-x7k2', 'web-01'), server('web-02-p2q7', 'web-02')] };
    return answer(call);
  });
}

describe('CheckForm', () => {
  it('creates an http check: seconds become ISO durations, the vantages an object', async () => {
    const fake = node((call) => (call.method === 'POST' && call.path === '/api/checks' ? { status: 201, body: check() } : undefined));
    const saved = vi.fn();
    renderInApp(<CheckForm check={null} groups={['Public site']} onSaved={saved} onClose={() => {}} />, fake.http);
    expect(screen.getByRole('dialog', { name: 'New check' })).toBeTruthy();
    // Labels name every field for assistive technology (and for the browser test).
    expect(screen.getByLabelText('Name')).toBe(field('name'));
    expect(screen.getByLabelText('URL')).toBe(field('url'));
    type('name', 'Homepage');
    type('url', 'https://example.com/health');
    type('expect-status', '200');
    type('interval', '30');
    type('timeout', '5');
    fireEvent.click(screen.getByTestId('check-form-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    const posted = fake.calls.find((c) => c.method === 'POST');
    expect(posted?.body).toEqual({
      name: 'Homepage', kind: 'http', url: 'https://example.com/health', method: 'GET', followRedirects: true, expectStatus: [200],
      interval: 'PT30S', retries: 2, timeout: 'PT5S', vantages: { kind: 'all' }, warnDays: [30, 14, 7, 3, 1],
    });
  });

  it('shows what to fix next to the field and sends nothing', async () => {
    const fake = node(() => undefined);
    renderInApp(<CheckForm check={null} groups={[]} onSaved={() => {}} onClose={() => {}} />, fake.http);
    type('name', 'Homepage');
    type('url', 'ftp://example.com');
    fireEvent.click(screen.getByTestId('check-form-save'));
    expect(screen.getByTestId('check-form-url-error').textContent).toBe('url: must be an http:// or https:// address');
    expect(field('url').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('url:');

    type('url', 'https://example.com');
    type('interval', '20');
    type('timeout', '10');
    fireEvent.click(screen.getByTestId('check-form-save'));
    expect(screen.getByTestId('check-form-timeout-error').textContent).toContain('less than half the interval');
    expect(screen.queryByTestId('check-form-url-error')).toBeNull();
    expect(fake.calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('puts the node\'s 400 next to the field it names, keeping everything typed', async () => {
    const fake = node((call) => (call.method === 'POST'
      ? { status: 400, body: { error: 'interval: must be at most PT1H', code: 'invalid' } } : undefined));
    const saved = vi.fn();
    renderInApp(<CheckForm check={null} groups={[]} onSaved={saved} onClose={() => {}} />, fake.http);
    type('name', 'Homepage');
    type('url', 'https://example.com');
    type('interval', '600');
    fireEvent.click(screen.getByTestId('check-form-save'));
    await waitFor(() => expect(screen.getByTestId('check-form-interval-error').textContent).toBe('interval: must be at most PT1H'));
    expect(screen.getByTestId('check-form-error').textContent).toBe('interval: must be at most PT1H');
    expect(saved).not.toHaveBeenCalled();
    expect(field('interval').value).toBe('600');
    expect(field('name').value).toBe('Homepage');
  });

  it('offers each kind\'s fields and sends a tcp check from chosen servers', async () => {
    const fake = node((call) => (call.method === 'POST' ? { status: 201, body: check({ kind: 'tcp' }) } : undefined));
    const saved = vi.fn();
    renderInApp(<CheckForm check={null} groups={[]} onSaved={saved} onClose={() => {}} />, fake.http);
    fireEvent.change(field('kind'), { target: { value: 'dns' } });
    expect(screen.getByTestId('check-form-record-type')).toBeTruthy();
    expect(screen.queryByTestId('check-form-url')).toBeNull();
    fireEvent.change(field('kind'), { target: { value: 'tls' } });
    expect(screen.getByTestId('check-form-server-name')).toBeTruthy();
    expect(screen.getByTestId('check-form-warn-days')).toBeTruthy();
    fireEvent.change(field('kind'), { target: { value: 'tcp' } });
    expect(screen.queryByTestId('check-form-warn-days')).toBeNull();
    type('name', 'Database');
    type('host', 'db.example.com');
    type('port', '70000');
    fireEvent.click(field('vantages-servers'));
    await screen.findByTestId('check-form-vantage-server-web-02-p2q7');
    fireEvent.click(screen.getByTestId('check-form-save'));
    expect(screen.getByTestId('check-form-port-error').textContent).toBe('port: must be from 1 to 65535');
    type('port', '5432');
    fireEvent.click(screen.getByTestId('check-form-save'));
    expect(screen.getByTestId('check-form-vantages-error').textContent).toBe('vantages: choose at least one server');
    fireEvent.click(screen.getByTestId('check-form-vantage-server-web-02-p2q7'));
    fireEvent.click(screen.getByTestId('check-form-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(fake.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Database', kind: 'tcp', host: 'db.example.com', port: 5432, interval: 'PT60S', retries: 2, timeout: 'PT10S',
      vantages: { kind: 'servers', values: ['web-02-p2q7'] },
    });
  });

  it('edits a check with PUT, starting from its values', async () => {
    const existing = check({ vantageSelection: { kind: 'group', values: ['web'] }, interval: 'PT2M', headers: { 'X-Token': 'abc' } });
    const fake = node((call) => (call.method === 'PUT' ? { body: existing } : undefined));
    const saved = vi.fn();
    renderInApp(<CheckForm check={existing} groups={[]} onSaved={saved} onClose={() => {}} />, fake.http);
    expect(screen.getByRole('dialog', { name: 'Edit Homepage' })).toBeTruthy();
    expect(field('interval').value).toBe('120');
    expect(field('headers').value).toBe('X-Token: abc');
    expect(field('vantage-value').value).toBe('web');
    fireEvent.click(field('follow-redirects'));
    fireEvent.click(screen.getByTestId('check-form-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    const put = fake.calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe('/api/checks/homepage-k3x9q2');
    expect(put?.body).toMatchObject({ interval: 'PT120S', followRedirects: false, headers: { 'X-Token': 'abc' },
      vantages: { kind: 'group', values: ['web'] }, group: 'Public site' });
  });
});
