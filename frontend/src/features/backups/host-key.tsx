// The destination's SSH host key: what the agent fetched, and an admin trusting it after comparing the fingerprint
// with the destination's own. A changed key is a security warning that needs an explicit confirmation.
import { useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import type { BackupJob, HostKey } from '../../lib/wire';
import { ConfirmDialog } from '../../components/dialog';
import { Fingerprint, fingerprintCommand } from '../../components/fingerprint';
import { trustHostKey } from './api';
import { hostKeyState } from './backups';
import { HostKeyBadge } from './backup-parts';

export function HostKeyPanel({ serverId, job, canAct, onTrusted }: {
  serverId: string; job: BackupJob; canAct: boolean; onTrusted: (job: BackupJob) => void;
}) {
  const { http } = useApp();
  // The key as it was when the admin opened the dialog: exactly what they compared is what is sent.
  const [asking, setAsking] = useState<HostKey | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const key = job.hostKey;
  const state = hostKeyState(key);
  const where = `${job.destination.host}${job.destination.port === 22 ? '' : `:${job.destination.port}`}`;

  return (
    <div className={`bk-host-key bk-host-key-${state}`} data-testid="backup-host-key" data-state={state}>
      <div className="bk-host-key-head"><strong>Host key of {where}</strong> <HostKeyBadge hostKey={key} /></div>
      {state === 'pending' && (
        <p className="muted">The agent fetches the destination's host key once the job exists and it is connected; it shows here,
          live, for you to compare and trust before the first run.</p>
      )}
      {key?.error != null && (
        <p className="error-text-block" data-testid="backup-host-key-error">Could not fetch the host key: {key.error}</p>
      )}
      {state === 'trusted' && key?.fingerprint != null && (
        <p>Trusted: <Fingerprint value={key.fingerprint} testId="backup-host-key-fingerprint" /> <span className="muted small">({key.type})</span>.
          A different key stops every run until an admin reviews it.</p>
      )}
      {state === 'untrusted' && key?.fingerprint != null && (
        <>
          <p>The agent saw this <strong>{key.type}</strong> key{key.seenAt !== null ? ` on ${formatDateTime(key.seenAt)}` : ''}:</p>
          <p><Fingerprint value={key.fingerprint} testId="backup-host-key-fingerprint" /></p>
          <p className="muted small">Compare it with the destination's own, run on the destination: <code>{fingerprintCommand(key.type)}</code>.
            Trust it only if they are the same: otherwise something else answers in the destination's name.</p>
        </>
      )}
      {state === 'changed' && key !== null && (
        <div className="warning-box" role="alert" data-testid="backup-host-key-changed">
          <strong>The destination's host key has changed.</strong>
          <dl className="key-compare">
            <div><dt>Trusted until now</dt><dd><Fingerprint value={key.trustedFingerprint ?? '—'} testId="backup-host-key-old" /></dd></div>
            <div><dt>Presented now{key.type ? ` (${key.type})` : ''}</dt><dd><Fingerprint value={key.fingerprint ?? '—'} testId="backup-host-key-new" /></dd></div>
          </dl>
          <p>This can be an attack — something intercepting the connection and posing as {where} — or the destination was
            reinstalled or had its SSH keys regenerated. Runs and restores are stopped until an admin decides. Ask whoever runs the
            destination, and compare the new fingerprint with <code>{fingerprintCommand(key.type)}</code> run there.</p>
        </div>
      )}
      {canAct && (state === 'untrusted' || (state === 'changed' && key?.fingerprint != null)) && (
        <button type="button" className={state === 'changed' ? 'danger' : undefined} data-testid="backup-trust-key"
          onClick={() => { setAcknowledged(false); setAsking(key); }}
          title="Asks once more, showing the fingerprint to compare">
          {state === 'changed' ? 'Review and trust the new key…' : 'I compared it, trust this key…'}
        </button>
      )}
      {asking !== null && asking.fingerprint !== null && (
        <ConfirmDialog testId="backup-trust-dialog" confirmTestId="backup-trust-confirm" wide
          title={asking.changed ? `Trust the NEW host key of ${where}?` : `Trust the host key of ${where}?`}
          confirmLabel={asking.changed ? 'Trust the new key' : 'Trust this key'} danger={asking.changed}
          ready={!asking.changed || acknowledged}
          message={<>Steward then lets the agent connect to {where} only while it presents this {asking.type ?? ''} key:</>}
          onConfirm={() => trustHostKey(http, serverId, job.id, asking.fingerprint!).then(onTrusted)}
          onClose={() => setAsking(null)}>
          <p><Fingerprint value={asking.fingerprint} testId="backup-trust-fingerprint" /></p>
          <p className="muted small">Same as <code>{fingerprintCommand(asking.type)}</code> prints on the destination?</p>
          {asking.changed && (
            <>
              <p className="error-text-block">It replaces <Fingerprint value={asking.trustedFingerprint ?? '—'} testId="backup-trust-old-fingerprint" />.
                If nobody reinstalled the destination or changed its keys, do not trust it.</p>
              <label className="check">
                <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)}
                  data-testid="backup-trust-changed-ack" />
                I know why the key changed, and the new fingerprint matches the destination's own.
              </label>
            </>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
