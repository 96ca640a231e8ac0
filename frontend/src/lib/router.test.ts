import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

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
    expect(parseRoute('/servers/web%201/events')).toEqual({ page: 'server', id: 'web 1', tab: 'events' });
    expect(parseRoute('/servers/alerts')).toEqual({ page: 'server', id: 'alerts', tab: 'overview' });
  });
});
