import { describe, expect, it } from 'vitest';
import { backupPath, checkPath, parseRoute, serverPath, servicePath, statusPath } from './router';

describe('parseRoute', () => {
  it('knows the alert pages', () => {
    expect(parseRoute('/alerts')).toEqual({ page: 'alerts', tab: 'active' });
    expect(parseRoute('/alerts/')).toEqual({ page: 'alerts', tab: 'active' });
    expect(parseRoute('/alerts/history')).toEqual({ page: 'alerts', tab: 'history' });
    expect(parseRoute('/alerts/rules')).toEqual({ page: 'alert-rules' });
    expect(parseRoute('/alerts/rules/')).toEqual({ page: 'alert-rules' });
    expect(parseRoute('/alerts/channels')).toEqual({ page: 'channels' });
  });

  it('refuses what is not a page', () => {
    expect(parseRoute('/alerts/nope')).toEqual({ page: 'not-found', path: '/alerts/nope' });
    expect(parseRoute('/alerts/rules/x')).toEqual({ page: 'not-found', path: '/alerts/rules/x' });
    expect(parseRoute('/alertsx')).toEqual({ page: 'not-found', path: '/alertsx' });
  });

  it('still parses the other routes', () => {
    expect(parseRoute('/')).toEqual({ page: 'overview' });
    expect(parseRoute('/login')).toEqual({ page: 'login' });
    expect(parseRoute('/users')).toEqual({ page: 'users' });
    expect(parseRoute('/settings')).toEqual({ page: 'settings' });
    expect(parseRoute('/account')).toEqual({ page: 'account' });
    expect(parseRoute('/reset-password')).toEqual({ page: 'reset-password' });
    expect(parseRoute('/servers/web%201/events')).toEqual({ page: 'server', id: 'web 1', tab: 'events' });
    expect(parseRoute('/servers/alerts')).toEqual({ page: 'server', id: 'alerts', tab: 'overview' });
  });
});

describe('service routes', () => {
  it('knows the Services tab of a server', () => {
    expect(parseRoute('/servers/web-1/services')).toEqual({ page: 'server', id: 'web-1', tab: 'services' });
    expect(parseRoute('/servers/web-1/services/')).toEqual({ page: 'server', id: 'web-1', tab: 'services' });
    expect(serverPath('web 1', 'services')).toBe('/servers/web%201/services');
  });

  it('knows one service of a server, names decoded', () => {
    expect(parseRoute('/servers/web-1/services/nginx')).toEqual({ page: 'service', id: 'web-1', name: 'nginx' });
    expect(parseRoute('/servers/web%201/services/getty%40tty1.service/')).toEqual({ page: 'service', id: 'web 1', name: 'getty@tty1.service' });
    expect(parseRoute('/servers/a%2Fb/services/x%2Fy')).toEqual({ page: 'service', id: 'a/b', name: 'x/y' });
  });

  it('round-trips names that need escaping', () => {
    for (const name of ['nginx', 'getty@tty1.service', 'my app', 'a/b', 'ünï%code']) {
      expect(parseRoute(servicePath('web 1', name))).toEqual({ page: 'service', id: 'web 1', name });
    }
  });

  it('refuses what is not a service page', () => {
    expect(parseRoute('/servers/web-1/services/nginx/logs')).toEqual({ page: 'not-found', path: '/servers/web-1/services/nginx/logs' });
    expect(parseRoute('/servers/web-1/processes/nginx')).toEqual({ page: 'not-found', path: '/servers/web-1/processes/nginx' });
    expect(parseRoute('/servers/web-1/services/%E0')).toEqual({ page: 'not-found', path: '/servers/web-1/services/%E0' });
  });
});

describe('backup routes', () => {
  it('knows the Backups tab of a server and one job of it', () => {
    expect(parseRoute('/servers/web-1/backups')).toEqual({ page: 'server', id: 'web-1', tab: 'backups' });
    expect(serverPath('web-1', 'backups')).toBe('/servers/web-1/backups');
    expect(parseRoute('/servers/web-1/backups/www-k3x9')).toEqual({ page: 'backup', id: 'web-1', jobId: 'www-k3x9' });
    expect(parseRoute('/servers/web-1/backups/www-k3x9/')).toEqual({ page: 'backup', id: 'web-1', jobId: 'www-k3x9' });
    expect(parseRoute(backupPath('web 1', 'a/b c'))).toEqual({ page: 'backup', id: 'web 1', jobId: 'a/b c' });
  });

  it('refuses what is not a backup page', () => {
    expect(parseRoute('/servers/web-1/backups/www/runs')).toEqual({ page: 'not-found', path: '/servers/web-1/backups/www/runs' });
    expect(parseRoute('/servers/web-1/backups/%E0')).toEqual({ page: 'not-found', path: '/servers/web-1/backups/%E0' });
  });
});

describe('check routes', () => {
  it('knows the checks, one check, maintenance and a public status page', () => {
    expect(parseRoute('/checks')).toEqual({ page: 'checks' });
    expect(parseRoute('/checks/')).toEqual({ page: 'checks' });
    expect(parseRoute('/checks/homepage-k3x9q2')).toEqual({ page: 'check', id: 'homepage-k3x9q2' });
    expect(parseRoute('/maintenance')).toEqual({ page: 'maintenance' });
    expect(parseRoute('/status/Public%20site')).toEqual({ page: 'status', group: 'Public site' });
    expect(parseRoute('/servers/web-1/checks')).toEqual({ page: 'server', id: 'web-1', tab: 'checks' });
  });

  it('escapes ids and groups, and refuses what is not a page', () => {
    expect(checkPath('a/b')).toBe('/checks/a%2Fb');
    expect(parseRoute(checkPath('a/b'))).toEqual({ page: 'check', id: 'a/b' });
    expect(statusPath('Public site')).toBe('/status/Public%20site');
    expect(parseRoute('/status')).toEqual({ page: 'not-found', path: '/status' });
    expect(parseRoute('/checks/a/b')).toEqual({ page: 'not-found', path: '/checks/a/b' });
    expect(parseRoute('/status/%E0')).toEqual({ page: 'not-found', path: '/status/%E0' });
  });
});

describe('subjectPath', () => {
  it('links a check alert to the check and a server alert to the server', async () => {
    const { subjectPath } = await import('./router');
    expect(subjectPath('check:homepage-k3x9q2')).toBe('/checks/homepage-k3x9q2');
    expect(subjectPath('web-01-x7k2')).toBe('/servers/web-01-x7k2');
  });
});
