import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupKey } from '../../lib/wire';
import { browserTimeZone, JobForm, jobDraftOf, jobInputOf } from './job-form';
import { job } from './backup-fixtures';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

const field = (id: string) => screen.getByTestId(`backup-form-${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(field(id), { target: { value } });

const KEY: BackupKey = { enabled: true, publicKey: 'ssh-ed25519 AAAA steward', authorizedKeysLine: 'x', allowSources: ['/srv/www'],
  allowDestinations: ['nas.lan'], rsyncVersion: '3.2.7' };

describe('JobForm', () => {
  it('starts with the node\'s defaults and sends a cron schedule in the browser\'s time zone', async () => {
    const node = fakeNode((call) => (call.method === 'POST' ? { status: 201, body: job() } : undefined));
    const saved = vi.fn();
    renderInApp(<JobForm serverId="web-1" job={null} agentKey={null} onSaved={saved} onCancel={() => {}} />, node.http);
    expect(field('port').value).toBe('22');
    expect(field('path').value).toBe('/srv/backups/web-1');
    expect([field('keep-last').value, field('daily').value, field('weekly').value, field('monthly').value]).toEqual(['7', '7', '4', '12']);
    expect(field('verify-hours').value).toBe('24');
    expect(field('enabled').checked).toBe(true);
    expect(field('schedule-cron').checked).toBe(true);
    expect(field('cron').value).toBe('30 2 * * *');
    expect(field('time-zone').value).toBe(browserTimeZone());

    type('name', 'www');
    type('sources', '/srv/www\n\n  /etc/nginx  \n');
    type('excludes', '*.tmp\ncache/');
    type('host', 'nas.lan');
    type('user', 'backup');
    fireEvent.click(screen.getByTestId('backup-form-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(node.calls).toEqual([{ method: 'POST', path: '/api/servers/web-1/backups', body: {
      name: 'www', sources: ['/srv/www', '/etc/nginx'], excludes: ['*.tmp', 'cache/'],
      destination: { host: 'nas.lan', port: 22, user: 'backup', path: '/srv/backups/web-1' },
      schedule: { cron: '30 2 * * *', timeZone: browserTimeZone() },
      retention: { keepLast: 7, daily: 7, weekly: 4, monthly: 12 }, enabled: true, verifyEveryHours: 24,
    } }]);
  });

  it('sends every N hours once the hours are typed, with bandwidth, timeout and retention as numbers', async () => {
    const node = fakeNode((call) => (call.method === 'POST' ? { status: 201, body: job() } : undefined));
    const saved = vi.fn();
    renderInApp(<JobForm serverId="web-1" job={null} agentKey={null} onSaved={saved} onCancel={() => {}} />, node.http);
    type('name', 'db');
    type('sources', '/var/lib/postgresql');
    type('host', 'nas.lan');
    type('port', '2222');
    type('user', 'backup');
    // Entering the field chooses the schedule, even when the default hours are kept.
    fireEvent.focus(field('every-hours'));
    expect(field('schedule-every').checked).toBe(true);
    expect(field('every-hours').value).toBe('6');
    type('keep-last', '3');
    type('monthly', '');
    type('bandwidth', '5000');
    type('timeout', '2h');
    type('verify-hours', '0');
    fireEvent.click(field('enabled'));
    fireEvent.click(screen.getByTestId('backup-form-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(node.calls[0]!.body).toEqual({
      name: 'db', sources: ['/var/lib/postgresql'], excludes: [],
      destination: { host: 'nas.lan', port: 2222, user: 'backup', path: '/srv/backups/web-1' },
      schedule: { everyHours: 6 }, retention: { keepLast: 3, daily: 7, weekly: 4, monthly: 0 },
      enabled: false, verifyEveryHours: 0, bandwidthKiBps: 5000, timeout: '2h',
    });
  });

  it('keeps everything typed and shows the node\'s reason when it answers 400', async () => {
    const node = fakeNode((call) => (call.method === 'POST'
      ? { status: 400, body: { error: "sources[1]: '/srv/../x' must not contain '.' or '..'", code: 'invalid' } } : undefined));
    const saved = vi.fn();
    renderInApp(<JobForm serverId="web-1" job={null} agentKey={null} onSaved={saved} onCancel={() => {}} />, node.http);
    type('name', 'www');
    type('sources', '/srv/www\n/srv/../x');
    type('host', 'nas.lan');
    type('user', 'backup');
    type('every-hours', '12');
    fireEvent.click(screen.getByTestId('backup-form-save'));
    expect((await screen.findByTestId('backup-form-error')).textContent).toBe("sources[1]: '/srv/../x' must not contain '.' or '..'");
    expect(saved).not.toHaveBeenCalled();
    expect(field('name').value).toBe('www');
    expect(field('sources').value).toBe('/srv/www\n/srv/../x');
    expect(field('host').value).toBe('nas.lan');
    expect(field('every-hours').value).toBe('12');
    expect(field('schedule-every').checked).toBe(true);
  });

  it('refuses numbers it cannot send, without asking the node', () => {
    const node = fakeNode(() => undefined);
    renderInApp(<JobForm serverId="web-1" job={null} agentKey={null} onSaved={() => {}} onCancel={() => {}} />, node.http);
    type('port', '70000');
    fireEvent.click(screen.getByTestId('backup-form-save'));
    expect(screen.getByTestId('backup-form-error').textContent).toContain('Port');
    expect(node.calls).toHaveLength(0);
  });

  it('edits a job with every field filled in, and saves it whole with PUT', async () => {
    const existing = job({ schedule: { cron: null, timeZone: null, everyHours: 4 }, bandwidthKiBps: 800, timeout: 'PT2H', excludes: [] });
    const node = fakeNode((call) => (call.method === 'PUT' ? { body: existing } : undefined));
    const saved = vi.fn();
    renderInApp(<JobForm serverId="web-1" job={existing} agentKey={null} onSaved={saved} onCancel={() => {}} />, node.http);
    expect(screen.getByTestId('backup-form').textContent).toContain('Edit www');
    expect(field('schedule-every').checked).toBe(true);
    expect(field('every-hours').value).toBe('4');
    expect(field('timeout').value).toBe('PT2H');
    expect(screen.queryByTestId('backup-form-destination-changed')).toBeNull();
    type('host', 'nas2.lan');
    expect(screen.getByTestId('backup-form-destination-changed').textContent).toContain('trusted again');
    type('host', 'nas.lan');
    expect(screen.queryByTestId('backup-form-destination-changed')).toBeNull();
    type('cron', '0 3 * * *');
    expect(field('schedule-cron').checked).toBe(true);
    fireEvent.click(screen.getByTestId('backup-form-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(node.calls[0]).toMatchObject({ method: 'PUT', path: '/api/servers/web-1/backups/www-k3x9' });
    expect(node.calls[0]!.body).toEqual({
      name: 'www', sources: ['/srv/www'], excludes: [], destination: { host: 'nas.lan', port: 22, user: 'backup', path: '/srv/backups/web-1' },
      schedule: { cron: '0 3 * * *', timeZone: 'UTC' }, retention: { keepLast: 7, daily: 7, weekly: 4, monthly: 12 },
      enabled: true, verifyEveryHours: 24, bandwidthKiBps: 800, timeout: 'PT2H',
    });
  });

  it('shows the agent\'s allow-lists and warns of what it will refuse', () => {
    renderInApp(<JobForm serverId="web-1" job={null} agentKey={KEY} onSaved={() => {}} onCancel={() => {}} />, fakeNode(() => undefined).http);
    expect(screen.getByTestId('backup-form-allowed-sources').textContent).toContain('/srv/www');
    expect(screen.getByTestId('backup-form-allowed-destinations').textContent).toContain('nas.lan');
    type('sources', '/srv/www/html\n/home/alice');
    type('host', 'elsewhere.example');
    expect(screen.getByTestId('backup-form-source-warning').textContent).toContain('/home/alice');
    expect(screen.getByTestId('backup-form-source-warning').textContent).not.toContain('/srv/www/html');
    expect(screen.getByTestId('backup-form-destination-warning')).toBeTruthy();
    type('host', 'nas.lan');
    expect(screen.queryByTestId('backup-form-destination-warning')).toBeNull();
  });

  it('says when the agent runs no backups at all', () => {
    renderInApp(<JobForm serverId="web-1" job={null} agentKey={{ ...KEY, enabled: false, publicKey: null }} onSaved={() => {}} onCancel={() => {}} />,
      fakeNode(() => undefined).http);
    expect(screen.getByTestId('backup-form-agent-disabled').textContent).toContain('--backups FILE');
  });
});

describe('jobInputOf', () => {
  it('counts an empty retention field as none and an empty time zone as UTC', () => {
    const draft = { ...jobDraftOf(null, 'web-1', 'Europe/Berlin'), name: 'x', daily: '', timeZone: ' ' };
    const checked = jobInputOf(draft);
    expect('input' in checked && checked.input.retention).toEqual({ keepLast: 7, daily: 0, weekly: 4, monthly: 12 });
    expect('input' in checked && checked.input.schedule).toEqual({ cron: '30 2 * * *', timeZone: 'UTC' });
    expect(jobInputOf({ ...draft, weekly: '-1' })).toEqual({ error: 'Retention counts must be whole numbers, 0 or more.' });
    expect(jobInputOf({ ...draft, scheduleKind: 'every', everyHours: '0' })).toHaveProperty('error');
  });
});
