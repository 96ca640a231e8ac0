// Installing the agent over SSH from the dashboard (admin): the node shows the server's host key, the admin compares
// and confirms it, then the node logs in with a password or private key (used for this one connection, never stored)
// and installs the agent; the install is followed live by SshInstallProgress.
import { useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import type { SshHostKey, SshInstallJob, SshInstallRequest } from '../../lib/wire';
import { Fingerprint, fingerprintCommand } from '../../components/fingerprint';
import { checkSshHostKey, startSshInstall } from './api';
import { SshInstallProgress } from './ssh-install-progress';
import './ssh-install.css';

/** The form as typed; the three secrets are emptied once an install starts. */
export interface SshDraft {
  host: string;
  port: string;
  user: string;
  auth: 'password' | 'key';
  password: string;
  privateKey: string;
  passphrase: string;
}

const NEW_DRAFT: SshDraft = { host: '', port: '22', user: 'root', auth: 'password', password: '', privateKey: '', passphrase: '' };

/** Port 1..65535 as typed, or null. */
function portOf(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * The request for the key the admin confirmed, or what to fix first. Host syntax and the key's format are the node's
 * to judge (it answers 400 naming what is wrong).
 */
export function sshInstallRequestOf(draft: SshDraft, key: SshHostKey): { request: SshInstallRequest } | { error: string } {
  const port = portOf(draft.port);
  if (port === null) return { error: 'Port must be a whole number from 1 to 65535.' };
  if (draft.user.trim() === '') return { error: 'Enter the user to log in as (root, or a user with sudo).' };
  const request: SshInstallRequest = {
    host: draft.host.trim(), port, user: draft.user.trim(), fingerprint: key.fingerprint, acceptChangedKey: key.state === 'changed',
  };
  if (draft.auth === 'password') {
    if (draft.password === '') return { error: 'Enter the password of that user.' };
    request.password = draft.password;
  } else {
    if (draft.privateKey.trim() === '') return { error: 'Paste the private key, or pick its file.' };
    request.privateKey = draft.privateKey;
    if (draft.passphrase !== '') request.passphrase = draft.passphrase;
  }
  return { request };
}

export function SshInstallForm({ onLeave }: { onLeave: () => void }) {
  const { http } = useApp();
  const [draft, setDraft] = useState<SshDraft>(NEW_DRAFT);
  // The key as the node showed it: the fingerprint the admin compares is exactly the one sent with the install.
  const [key, setKey] = useState<SshHostKey | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [job, setJob] = useState<SshInstallJob | null>(null);
  const check = useAction();
  const install = useAction();
  const set = <K extends keyof SshDraft>(name: K, value: SshDraft[K]) => setDraft((d) => ({ ...d, [name]: value }));
  // A key belongs to one host and port: another address needs its own check.
  const setAddress = (name: 'host' | 'port', value: string) => { set(name, value); setKey(null); setConfirmed(false); };

  const checkKey = () => {
    const port = portOf(draft.port);
    if (draft.host.trim() === '') check.fail('Enter the server\'s name or address.');
    else if (port === null) check.fail('Port must be a whole number from 1 to 65535.');
    else check.run(() => checkSshHostKey(http, draft.host.trim(), port), (found) => {
      setKey(found);
      // A pinned key was compared by an admin before; a new or changed one waits for this admin.
      setConfirmed(found.state === 'trusted');
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key === null || !confirmed) {
      install.fail('Check the host key and confirm it first.');
      return;
    }
    const checked = sshInstallRequestOf(draft, key);
    install.send('error' in checked ? checked.error : startSshInstall(http, checked.request), (started) => {
      setDraft((d) => ({ ...d, password: '', privateKey: '', passphrase: '' }));
      setJob(started);
    });
  };

  const pickKeyFile = (file: File | undefined) => {
    if (file !== undefined) void file.text().then((text) => set('privateKey', text), () => install.fail('Could not read that file.'));
  };

  if (job !== null) {
    return <SshInstallProgress key={job.id} started={job} onLeave={onLeave}
      onRetry={() => { setJob(null); setKey(null); setConfirmed(false); }} />;
  }

  const where = `${draft.host.trim()}${draft.port.trim() === '22' ? '' : `:${draft.port.trim()}`}`;
  return (
    <form className="form ssh-install-form" onSubmit={submit} data-testid="ssh-install-form" noValidate>
      <p className="muted small">This node logs in to the server over SSH, uploads the agent with its own Java runtime
        and installs it as a systemd service, with a one-time token. Linux x86-64; the server must reach this node.</p>
      <div className="form-grid">
        <label>Host
          <input name="host" value={draft.host} onChange={(e) => setAddress('host', e.target.value)} data-testid="ssh-host"
            placeholder="web-1.example.com" autoComplete="off" title="The server's name or address, as this node reaches it" />
        </label>
        <label>Port
          <input name="port" value={draft.port} onChange={(e) => setAddress('port', e.target.value)} data-testid="ssh-port"
            inputMode="numeric" title="The server's SSH port" />
        </label>
        <label>User
          <input name="user" value={draft.user} onChange={(e) => set('user', e.target.value)} data-testid="ssh-user"
            autoComplete="off" title="root, or a user with sudo" />
        </label>
      </div>

      <section className="ssh-step" aria-labelledby="ssh-step-1">
        <h3 id="ssh-step-1">1. Check the host key</h3>
        <div className="form-actions">
          <button type="button" className={key === null ? undefined : 'secondary'} onClick={checkKey} disabled={check.busy}
            data-testid="ssh-check-key" title="Connects to the server and shows its SSH host key; sends no credential">
            {check.busy ? 'Checking…' : key === null ? 'Check host key' : 'Check again'}</button>
        </div>
        {check.error !== null && <div className="form-error" role="alert" data-testid="ssh-check-error">{check.error}</div>}
        {key !== null && <HostKeyCheck where={where} hostKey={key} confirmed={confirmed} onConfirmed={setConfirmed} />}
      </section>

      <section className="ssh-step" aria-labelledby="ssh-step-2">
        <h3 id="ssh-step-2">2. Install</h3>
        <fieldset className="choices">
          <legend>Log in with</legend>
          <label className="check"><input type="radio" name="auth" checked={draft.auth === 'password'}
            onChange={() => set('auth', 'password')} data-testid="ssh-auth-password" /> a password</label>
          <label className="check"><input type="radio" name="auth" checked={draft.auth === 'key'}
            onChange={() => set('auth', 'key')} data-testid="ssh-auth-key" /> a private key</label>
        </fieldset>
        {draft.auth === 'password' ? (
          <label>Password
            <input type="password" name="password" value={draft.password} onChange={(e) => set('password', e.target.value)}
              autoComplete="off" data-testid="ssh-password" title="The user's password; also given to sudo -S when the user is not root" />
          </label>
        ) : (
          <>
            <label>Private key
              <textarea name="privateKey" rows={5} className="mono" value={draft.privateKey} spellCheck={false}
                onChange={(e) => set('privateKey', e.target.value)} data-testid="ssh-private-key"
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----" title="The private key whose public key the user authorizes" />
            </label>
            <label>…or its file
              <input type="file" onChange={(e) => pickKeyFile(e.target.files?.[0])} data-testid="ssh-private-key-file" />
            </label>
            <label>Passphrase <span className="muted small">(if the key has one)</span>
              <input type="password" name="passphrase" value={draft.passphrase} onChange={(e) => set('passphrase', e.target.value)}
                autoComplete="off" data-testid="ssh-passphrase" />
            </label>
          </>
        )}
        <p className="muted small" data-testid="ssh-secret-note">The password or key is used for this one connection and
          never stored: not on the node, not in its log, and it is cleared from this page once the install starts. Log
          in as root, or as a user with sudo (a password sudo gets the same password; or NOPASSWD).</p>
        {install.error !== null && <div className="form-error" role="alert" data-testid="ssh-install-form-error">{install.error}</div>}
        <div className="form-actions">
          <button type="submit" disabled={install.busy || key === null || !confirmed} data-testid="ssh-install"
            title={key === null ? 'Check the host key first' : confirmed ? 'Log in and install the agent'
              : 'Confirm the host key first'}>
            {install.busy ? 'Starting…' : 'Install'}</button>
        </div>
      </section>
    </form>
  );
}

/** The key the server presents now: to compare (new), as pinned before (trusted), or changed (a loud warning). */
function HostKeyCheck({ where, hostKey, confirmed, onConfirmed }: {
  where: string; hostKey: SshHostKey; confirmed: boolean; onConfirmed: (confirmed: boolean) => void;
}) {
  const pinned = hostKey.pinnedBy !== null && hostKey.pinnedAt !== null
    ? `pinned by ${hostKey.pinnedBy} on ${formatDateTime(hostKey.pinnedAt)}` : 'pinned';
  return (
    <div className={`ssh-host-key ssh-host-key-${hostKey.state}`} data-testid="ssh-host-key" data-state={hostKey.state}>
      {hostKey.state === 'changed' ? (
        <div className="warning-box" role="alert" data-testid="ssh-host-key-changed">
          <strong>The host key of {where} has changed.</strong>
          <dl className="key-compare">
            <div><dt>Confirmed before ({pinned})</dt><dd><Fingerprint value={hostKey.pinnedFingerprint ?? '—'} testId="ssh-pinned-fingerprint" /></dd></div>
            <div><dt>Presented now (<span data-testid="ssh-key-type">{hostKey.keyType}</span>)</dt>
              <dd><Fingerprint value={hostKey.fingerprint} testId="ssh-fingerprint" /></dd></div>
          </dl>
          <p>This can be an attack — something intercepting the connection and posing as {where}, to catch the password
            or key you are about to send — or the server was reinstalled or had its SSH keys regenerated. Ask whoever runs
            it, and compare the new fingerprint with <code>{fingerprintCommand(hostKey.keyType)}</code> run there.</p>
        </div>
      ) : (
        <>
          <p>{where} presents this <strong data-testid="ssh-key-type">{hostKey.keyType}</strong> key:</p>
          <p><Fingerprint value={hostKey.fingerprint} testId="ssh-fingerprint" /></p>
          {hostKey.state === 'trusted' ? (
            <p className="muted small" data-testid="ssh-key-pinned">The same key as {pinned}.</p>
          ) : (
            <p className="muted small">Not seen before. Compare it with what <code>{fingerprintCommand(hostKey.keyType)}</code> prints
              on the server; install only if they are the same: otherwise something else answers in the server&apos;s name.</p>
          )}
        </>
      )}
      {hostKey.state === 'new' && (
        <label className="check">
          <input type="checkbox" checked={confirmed} onChange={(e) => onConfirmed(e.target.checked)} data-testid="ssh-confirm-key" />
          It is the same as the server&apos;s own: pin this key for {where}.
        </label>
      )}
      {hostKey.state === 'changed' && (
        <label className="check">
          <input type="checkbox" checked={confirmed} onChange={(e) => onConfirmed(e.target.checked)} data-testid="ssh-accept-changed" />
          I know why the key changed, and the new fingerprint matches the server&apos;s own: replace the pinned key.
        </label>
      )}
    </div>
  );
}
