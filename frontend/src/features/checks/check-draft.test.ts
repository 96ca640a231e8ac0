import { describe, expect, it } from 'vitest';
import { checkDefinitionOf, checkDraftOf, fieldOfProblem, NEW_CHECK, type CheckDraft } from './check-draft';
import { check } from './check-fixtures';

const draft = (overrides: Partial<CheckDraft>): CheckDraft => ({ ...NEW_CHECK, name: 'Homepage', url: 'https://example.com/', ...overrides });
const error = (d: CheckDraft) => {
  const checked = checkDefinitionOf(d);
  return 'error' in checked ? checked.error : null;
};

describe('checkDefinitionOf', () => {
  it('sends seconds as ISO durations, an http check\'s own fields only, and the vantages as an object', () => {
    expect(checkDefinitionOf(draft({ expectStatus: '200, 204', headers: 'X-A: b\n\nAuthorization: Bearer x:y\n', keyword: ' ok ',
      host: 'ignored', port: '1', intervalSeconds: '30', timeoutSeconds: '5', retries: '0', group: ' Public site ' }))).toEqual({ definition: {
      name: 'Homepage', kind: 'http', url: 'https://example.com/', method: 'GET', followRedirects: true, expectStatus: [200, 204],
      keyword: 'ok', headers: { 'X-A': 'b', Authorization: 'Bearer x:y' }, interval: 'PT30S', retries: 0, timeout: 'PT5S',
      vantages: { kind: 'all' }, warnDays: [30, 14, 7, 3, 1], group: 'Public site',
    } });
  });

  it('sends the chosen servers, a group or a tag as values', () => {
    const servers = checkDefinitionOf(draft({ vantageKind: 'servers', vantageServers: ['web-01', 'web-02'] }));
    expect('definition' in servers && servers.definition.vantages).toEqual({ kind: 'servers', values: ['web-01', 'web-02'] });
    const tag = checkDefinitionOf(draft({ vantageKind: 'tag', vantageValue: ' edge ' }));
    expect('definition' in tag && tag.definition.vantages).toEqual({ kind: 'tag', values: ['edge'] });
    expect(error(draft({ vantageKind: 'servers' }))).toBe('vantages: choose at least one server');
    expect(error(draft({ vantageKind: 'group' }))).toBe('vantages: enter the group');
  });

  it('mirrors the node\'s limits: interval 10 s to 1 h, timeout under half of it, port 1 to 65535, http(s) urls', () => {
    expect(error(draft({ intervalSeconds: '9' }))).toMatch(/^interval: /);
    expect(error(draft({ intervalSeconds: '3601' }))).toMatch(/^interval: /);
    expect(error(draft({ intervalSeconds: '3600', timeoutSeconds: '60' }))).toBeNull();
    expect(error(draft({ intervalSeconds: '20', timeoutSeconds: '10' }))).toBe('timeout: must be less than half the interval (under 10 s)');
    expect(error(draft({ url: 'ftp://example.com' }))).toMatch(/^url: /);
    expect(error(draft({ url: 'example.com' }))).toMatch(/^url: /);
    expect(error(draft({ kind: 'tcp', host: 'db', port: '0' }))).toBe('port: must be from 1 to 65535');
    expect(error(draft({ kind: 'tcp', host: 'db', port: '65536' }))).toBe('port: must be from 1 to 65535');
    expect(error(draft({ kind: 'tcp', host: 'db', port: '' }))).toBe('port: must be from 1 to 65535');
    expect(error(draft({ kind: 'tcp', host: '', port: '22' }))).toBe('host: is required');
    expect(error(draft({ expectStatus: '200, abc' }))).toMatch(/^expectStatus: /);
    expect(error(draft({ headers: 'no colon here' }))).toBe('headers: line 1 must read "Name: value"');
    expect(error(draft({ name: ' ' }))).toBe('name: is required');
  });

  it('fills a tls check\'s port with 443 and leaves warn days out of checks without a certificate', () => {
    expect(checkDefinitionOf(draft({ kind: 'tls', host: 'example.com', serverName: 'sni.example.com', acceptFingerprint: 'AB:CD' }))).toEqual({ definition: {
      name: 'Homepage', kind: 'tls', host: 'example.com', port: 443, serverName: 'sni.example.com', acceptFingerprint: 'AB:CD',
      interval: 'PT60S', retries: 2, timeout: 'PT10S', vantages: { kind: 'all' }, warnDays: [30, 14, 7, 3, 1],
    } });
    const dns = checkDefinitionOf(draft({ kind: 'dns', host: 'example.com', recordType: 'AAAA', expect: '2001:db8::1' }));
    expect(dns).toEqual({ definition: { name: 'Homepage', kind: 'dns', host: 'example.com', recordType: 'AAAA', expect: '2001:db8::1',
      interval: 'PT60S', retries: 2, timeout: 'PT10S', vantages: { kind: 'all' } } });
    const plain = checkDefinitionOf(draft({ url: 'http://example.com/' }));
    expect('definition' in plain && plain.definition).not.toHaveProperty('warnDays');
  });

  it('reads an existing check back, keeping what the form does not edit', () => {
    const existing = check({ interval: 'PT1M30S', timeout: 'PT20S', headers: { 'X-A': 'b' }, expectStatus: [200, 301],
      jsonCondition: { path: '$.status', equals: 'ok' }, vantageSelection: { kind: 'servers', values: ['web-01-x7k2'] } });
    const back = checkDraftOf(existing);
    expect(back).toMatchObject({ intervalSeconds: '90', timeoutSeconds: '20', headers: 'X-A: b', expectStatus: '200, 301',
      vantageKind: 'servers', vantageServers: ['web-01-x7k2'] });
    const sent = checkDefinitionOf(back);
    expect('definition' in sent && sent.definition).toMatchObject({ interval: 'PT90S', jsonCondition: { path: '$.status', equals: 'ok' },
      vantages: { kind: 'servers', values: ['web-01-x7k2'] } });
  });

  it('finds the field a problem names', () => {
    expect(fieldOfProblem('interval: must be at least 10 s')).toBe('interval');
    expect(fieldOfProblem('vantages.values[0]: no such server')).toBe('vantages');
    expect(fieldOfProblem('vantageSelection: unknown kind')).toBe('vantages');
    expect(fieldOfProblem('something else: went wrong')).toBeNull();
    expect(fieldOfProblem('The node cannot be reached.')).toBeNull();
    expect(fieldOfProblem(null)).toBeNull();
  });
});
