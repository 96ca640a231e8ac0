import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnrollmentToken } from '../../lib/wire';
import { fakeNode, renderInApp } from '../../test-support';
import { AddServerDialog } from './add-server-dialog';

afterEach(cleanup);

const created = (extra: Partial<EnrollmentToken> = {}): EnrollmentToken => ({
  id: 'tok-1', token: 'stw_enroll_abc', expiresAt: '2027-01-11T09:00:00Z', maxUses: 1,
  hub: 'wss://node.example:8080/ws/agent', pinSha256: 'AB:CD', command: 'java -jar steward-agent.jar --token stw_enroll_abc',
  systemdUnit: '[Unit]', hubs: ['wss://node.example:8080/ws/agent'], pinsSha256: ['AB:CD'],
  installCommand: 'curl -fsSL --insecure --pinnedpubkey sha256//KEY= https://node.example:8080/install.sh | sudo sh -s -- '
    + '--url https://node.example:8080 --token stw_enroll_abc --pin AB:CD',
  uninstallCommand: 'curl -fsSL --insecure --pinnedpubkey sha256//KEY= https://node.example:8080/install.sh | sudo sh -s -- --uninstall',
  ...extra,
});

function nodeAnswering(token: EnrollmentToken) {
  return fakeNode((call) => {
    if (call.method === 'POST' && call.path === '/api/enrollment-tokens') return { body: token };
    if (call.path === '/api/enrollment-tokens') return { body: { tokens: [] } };
    if (call.path === '/api/re-enrollments') return { body: { requests: [] } };
    return undefined;
  });
}

describe('AddServerDialog', () => {
  it('shows the one-line install and uninstall first, and the manual way when chosen', async () => {
    const token = created();
    renderInApp(<AddServerDialog onClose={() => undefined} />, nodeAnswering(token).http);
    expect((await screen.findByTestId('install-command')).textContent).toBe(token.installCommand);
    expect(screen.getByTestId('uninstall-command').textContent).toBe(token.uninstallCommand);
    expect(screen.queryByTestId('no-install-command')).toBeNull();
    fireEvent.click(screen.getByTestId('add-server-manual'));
    expect(screen.getByTestId('agent-command').textContent).toBe(token.command);
    expect(screen.queryByTestId('install-command')).toBeNull();
  });

  it('offers the install over SSH without showing the token', async () => {
    renderInApp(<AddServerDialog onClose={() => undefined} />, nodeAnswering(created()).http);
    await screen.findByTestId('install-command');
    fireEvent.click(screen.getByTestId('add-server-ssh'));
    expect(screen.getByTestId('ssh-install-form')).toBeTruthy();
    expect(screen.getByTestId('add-server-ssh').getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('install-command')).toBeNull();
  });

  it('says why there is no one-line install when the node offers none', async () => {
    renderInApp(<AddServerDialog onClose={() => undefined} />,
      nodeAnswering(created({ installCommand: null, uninstallCommand: null })).http);
    expect((await screen.findByTestId('no-install-command')).textContent).toContain('steward.downloads.dir');
    expect(screen.queryByTestId('install-command')).toBeNull();
    fireEvent.click(screen.getByTestId('add-server-manual'));
    expect(screen.getByTestId('agent-command')).toBeTruthy();
  });
});
