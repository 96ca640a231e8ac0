import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SshHostKey, SshInstallJob } from '../../lib/wire';
import { fakeNode, renderInApp, type Call } from '../../test-support';
import { SshInstallForm } from './ssh-install-form';

const FINGERPRINT = 'SHA256:n3wK3yQx0bQm7m8yE9c1Jc9pJ2m0Z3uKkq5v8lJ3yWg';
const OLD_FINGERPRINT = 'SHA256:0ldK3yAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** An EventSource the test feeds by hand (jsdom has none). */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.closed = true;
  }

  emit(type: string, data: string) {
    act(() => (this.listeners.get(type) ?? []).forEach((listener) => listener(new MessageEvent(type, { data }))));
  }

  state(job: Partial<SshInstallJob>) {
    const { lines: _lines, ...rest } = { ...running(), ...job };
    this.emit('state', JSON.stringify(rest));
  }

  fail() {
    act(() => this.onerror?.(new Event('error')));
  }
}

const hostKey = (extra: Partial<SshHostKey> = {}): SshHostKey => ({
  host: 'web-1.example.com', port: 22, fingerprint: FINGERPRINT, keyType: 'ssh-ed25519', state: 'new',
  pinnedFingerprint: null, pinnedBy: null, pinnedAt: null, ...extra,
});

const running = (extra: Partial<SshInstallJob> = {}): SshInstallJob => ({
  id: 'inst-1', host: 'web-1.example.com', port: 22, user: 'root', state: 'running', step: 'connect', error: null,
  serverId: null, startedAt: '2027-01-10T09:00:00Z', finishedAt: null, from: 0, lines: ['== connect'], ...extra,
});

function node(key: SshHostKey, answer: (call: Call) => { status?: number; body?: unknown } | undefined = () => undefined) {
  return fakeNode((call) => {
    if (call.method === 'POST' && call.path === '/api/ssh-installs/host-key') return { body: key };
    if (call.method === 'POST' && call.path === '/api/ssh-installs') return answer(call) ?? { status: 202, body: running() };
    return answer(call);
  });
}

const installButton = () => screen.getByTestId('ssh-install') as HTMLButtonElement;
const installs = (calls: Call[]) => calls.filter((call) => call.method === 'POST' && call.path === '/api/ssh-installs');

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

/** Fills the address and password and checks the key. */
async function checked(key: SshHostKey, answer?: Parameters<typeof node>[1], onLeave = () => {}) {
  const fake = node(key, answer);
  renderInApp(<SshInstallForm onLeave={onLeave} />, fake.http);
  type('ssh-host', 'web-1.example.com');
  type('ssh-password', 'root password');
  fireEvent.click(screen.getByTestId('ssh-check-key'));
  await screen.findByTestId('ssh-host-key');
  return fake;
}

/** Checks and confirms a new key, starts the install and answers its event stream. */
async function started(answer?: Parameters<typeof node>[1], onLeave = () => {}) {
  const fake = await checked(hostKey(), answer, onLeave);
  fireEvent.click(screen.getByTestId('ssh-confirm-key'));
  fireEvent.click(installButton());
  await screen.findByTestId('ssh-install-progress');
  // The progress shows on render; the event stream opens in the effect after it, which a loaded machine can delay.
  await waitFor(() => expect(FakeEventSource.opened.length).toBeGreaterThan(0));
  return { fake, events: FakeEventSource.opened.at(-1)! };
}

const stepState = (step: string) =>
  screen.getByTestId('ssh-install-steps').querySelector(`[data-step="${step}"]`)?.getAttribute('data-state');

beforeEach(() => {
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('SshInstallForm', () => {
  it('checks the host key of the address typed and shows its fingerprint, type and the command to compare with', async () => {
    const fake = await checked(hostKey());
    expect(fake.calls.find((call) => call.path === '/api/ssh-installs/host-key')?.body).toEqual({ host: 'web-1.example.com', port: 22 });
    expect(screen.getByTestId('ssh-fingerprint').textContent).toBe(FINGERPRINT);
    expect(screen.getByTestId('ssh-key-type').textContent).toBe('ssh-ed25519');
    expect(screen.getByTestId('ssh-host-key').textContent).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    expect(screen.getByTestId('ssh-host-key').getAttribute('data-state')).toBe('new');
    expect(screen.getByTestId('ssh-secret-note').textContent).toContain('never stored');
  });

  it('refuses to install before the fingerprint is confirmed, then sends exactly the confirmed one', async () => {
    const fake = await checked(hostKey());
    expect(installButton().disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('ssh-install-form'));
    expect(screen.getByTestId('ssh-install-form-error').textContent).toContain('confirm');
    expect(installs(fake.calls)).toHaveLength(0);

    fireEvent.click(screen.getByTestId('ssh-confirm-key'));
    expect(installButton().disabled).toBe(false);
    fireEvent.click(installButton());
    await screen.findByTestId('ssh-install-progress');
    expect(installs(fake.calls)[0].body).toEqual({
      host: 'web-1.example.com', port: 22, user: 'root', password: 'root password', fingerprint: FINGERPRINT, acceptChangedKey: false,
    });
  });

  it('forgets the confirmation when the address changes: the key belongs to the address checked', async () => {
    await checked(hostKey());
    fireEvent.click(screen.getByTestId('ssh-confirm-key'));
    type('ssh-port', '2222');
    expect(screen.queryByTestId('ssh-host-key')).toBeNull();
    expect(installButton().disabled).toBe(true);
  });

  it('shows who pinned a trusted key and lets the install go without asking again', async () => {
    await checked(hostKey({ state: 'trusted', pinnedFingerprint: FINGERPRINT, pinnedBy: 'alice', pinnedAt: '2027-01-09T08:00:00Z' }));
    expect(screen.getByTestId('ssh-key-pinned').textContent).toContain('pinned by alice');
    expect(installButton().disabled).toBe(false);
  });

  it('warns loudly of a changed key and installs only after the explicit checkbox, accepting the change', async () => {
    const fake = await checked(hostKey({ state: 'changed', pinnedFingerprint: OLD_FINGERPRINT, pinnedBy: 'alice', pinnedAt: '2027-01-09T08:00:00Z' }));
    const warning = screen.getByTestId('ssh-host-key-changed');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('ssh-pinned-fingerprint').textContent).toBe(OLD_FINGERPRINT);
    expect(screen.getByTestId('ssh-fingerprint').textContent).toBe(FINGERPRINT);
    expect(screen.queryByTestId('ssh-confirm-key')).toBeNull();
    expect(installButton().disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('ssh-install-form'));
    expect(installs(fake.calls)).toHaveLength(0);

    fireEvent.click(screen.getByTestId('ssh-accept-changed'));
    fireEvent.click(installButton());
    await screen.findByTestId('ssh-install-progress');
    expect(installs(fake.calls)[0].body).toMatchObject({ fingerprint: FINGERPRINT, acceptChangedKey: true });
  });

  it('sends a private key with its passphrase instead of a password', async () => {
    const fake = await checked(hostKey());
    fireEvent.click(screen.getByTestId('ssh-auth-key'));
    type('ssh-private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n');
    type('ssh-passphrase', 'secret words');
    fireEvent.click(screen.getByTestId('ssh-confirm-key'));
    fireEvent.click(installButton());
    await screen.findByTestId('ssh-install-progress');
    const body = installs(fake.calls)[0].body as Record<string, unknown>;
    expect(body.privateKey).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(body.passphrase).toBe('secret words');
    expect(body).not.toHaveProperty('password');
  });

  it('reads a picked key file into the key field', async () => {
    renderInApp(<SshInstallForm onLeave={() => {}} />, node(hostKey()).http);
    fireEvent.click(screen.getByTestId('ssh-auth-key'));
    const file = new File(['-----BEGIN OPENSSH PRIVATE KEY-----\nfromfile\n'], 'id_ed25519');
    fireEvent.change(screen.getByTestId('ssh-private-key-file'), { target: { files: [file] } });
    await vi.waitFor(() => expect((screen.getByTestId('ssh-private-key') as HTMLTextAreaElement).value).toContain('fromfile'));
  });

  it('shows the node\'s reason when it refuses the install, keeping the form', async () => {
    await checked(hostKey(), (call) => (call.path === '/api/ssh-installs'
      ? { status: 400, body: { error: 'host must be a host name or an IP address', code: 'invalid' } } : undefined));
    fireEvent.click(screen.getByTestId('ssh-confirm-key'));
    fireEvent.click(installButton());
    expect((await screen.findByTestId('ssh-install-form-error')).textContent).toBe('host must be a host name or an IP address');
    expect((screen.getByTestId('ssh-password') as HTMLInputElement).value).toBe('root password');
  });

  it('shows the host key check\'s failure', async () => {
    const fake = fakeNode((call) => (call.path === '/api/ssh-installs/host-key'
      ? { status: 502, body: { error: 'cannot connect to web-1.example.com:22: Connection refused', code: 'upstream-failed' } } : undefined));
    renderInApp(<SshInstallForm onLeave={() => {}} />, fake.http);
    type('ssh-host', 'web-1.example.com');
    fireEvent.click(screen.getByTestId('ssh-check-key'));
    expect((await screen.findByTestId('ssh-check-error')).textContent).toContain('Connection refused');
  });

  it('follows the log live and marks the steps done, current and to come', async () => {
    const { events } = await started();
    expect(events.url).toBe('/api/ssh-installs/inst-1/events');
    expect(screen.getByTestId('ssh-install-log').textContent).toBe('== connect');
    // The stream replays the log from its first line: the line already shown is not shown twice.
    events.emit('line', '== connect');
    events.emit('line', 'connected to web-1.example.com:22');
    events.emit('line', '== upload');
    events.state({ step: 'upload', from: 3 });
    expect(screen.getByTestId('ssh-install-log').textContent).toBe('== connect\nconnected to web-1.example.com:22\n== upload');
    expect(stepState('connect')).toBe('done');
    expect(stepState('privileges')).toBe('done');
    expect(stepState('upload')).toBe('current');
    expect(stepState('install')).toBe('pending');
    expect(screen.getByTestId('ssh-install-steps').querySelector('[aria-current=step]')?.textContent).toContain('Upload the agent');
    expect(screen.getByTestId('ssh-install-status').textContent).toContain('Upload the agent');
  });

  it('names the failed step with the node\'s reason, and goes back to a form without the secret', async () => {
    const { events } = await started();
    events.state({ state: 'failed', step: 'authenticate', error: 'web-1.example.com refused the password of root' });
    events.emit('end', '');
    expect(events.closed).toBe(true);
    expect(screen.getByTestId('ssh-install-error').textContent)
      .toBe('Failed at “Log in”: web-1.example.com refused the password of root');
    expect(stepState('connect')).toBe('done');
    expect(stepState('authenticate')).toBe('failed');
    expect(stepState('inspect')).toBe('pending');
    expect(screen.queryByTestId('ssh-install-server-link')).toBeNull();

    fireEvent.click(screen.getByTestId('ssh-install-retry'));
    expect((screen.getByTestId('ssh-host') as HTMLInputElement).value).toBe('web-1.example.com');
    expect((screen.getByTestId('ssh-password') as HTMLInputElement).value).toBe('');
    expect(installButton().disabled).toBe(true);
  });

  it('links to the new server once it reports, and leaves the dialog for its page', async () => {
    const onLeave = vi.fn();
    const { events } = await started(undefined, onLeave);
    events.state({ state: 'succeeded', step: 'done', serverId: 'srv-9', finishedAt: '2027-01-10T09:01:00Z' });
    events.emit('end', '');
    expect(Array.from(screen.getByTestId('ssh-install-steps').querySelectorAll('li'))
      .every((step) => step.getAttribute('data-state') === 'done')).toBe(true);
    const link = screen.getByTestId('ssh-install-server-link');
    expect(link.getAttribute('href')).toBe('/servers/srv-9');
    fireEvent.click(link);
    expect(window.location.pathname).toBe('/servers/srv-9');
    expect(onLeave).toHaveBeenCalled();
  });

  it('polls the log from the last line held when the event stream fails', async () => {
    const { fake, events } = await started((call) => (call.method === 'GET' && call.path.startsWith('/api/ssh-installs/inst-1?')
      ? { body: running({ state: 'succeeded', step: 'done', serverId: 'srv-9', from: 2, lines: ['== host-key', '== done'] }) }
      : undefined));
    events.emit('line', '== connect');
    events.emit('line', 'connected');
    events.fail();
    expect(events.closed).toBe(true);
    await screen.findByTestId('ssh-install-server-link');
    expect(fake.calls.filter((call) => call.method === 'GET').map((call) => call.path)).toEqual(['/api/ssh-installs/inst-1?from=2']);
    expect(screen.getByTestId('ssh-install-log').textContent).toBe('== connect\nconnected\n== host-key\n== done');
  });
});
