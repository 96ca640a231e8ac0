import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../lib/http';
import type { EnrollmentToken } from '../../lib/wire';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { CopyButton, ErrorPanel, Skeleton } from '../../components/feedback';
import { createEnrollmentToken } from './api';

/** Creates an enrollment token and shows the exact agent command and a systemd unit to copy. */
export function AddServerDialog({ onClose }: { onClose: () => void }) {
  const { http } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState<EnrollmentToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    createEnrollmentToken(http, 'PT24H', 1).then(
      (created) => { if (!cancelled) setToken(created); },
      (failure: unknown) => { if (!cancelled) setError(failure instanceof ApiError ? failure.message : String(failure)); },
    );
    return () => { cancelled = true; };
  }, [http, attempt]);

  const unit = token?.systemdUnit ?? (token ? fallbackUnit(token) : '');
  return (
    <dialog ref={dialog} className="dialog" onClose={onClose} data-testid="add-server-dialog" aria-labelledby="add-title">
      <h2 id="add-title">Add a server</h2>
      <p className="muted">Run the agent on the server with this one-time token (valid 24 h, one server). It exchanges the
        token for its own credential on first contact. Needs Java 17.</p>
      {error !== null && <ErrorPanel title="Could not create a token" message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {error === null && token === null && <Skeleton lines={4} />}
      {token !== null && (
        <>
          <h3>Command</h3>
          <div className="code-block"><pre data-testid="agent-command">{token.command}</pre><CopyButton text={token.command} /></div>
          <p className="muted small">Token expires {formatDateTime(token.expiresAt)}.</p>
          <h3>As a systemd service</h3>
          <div className="code-block"><pre className="unit">{unit}</pre><CopyButton text={unit} /></div>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={() => dialog.current?.close()} title="Close this dialog">Done</button>
      </div>
    </dialog>
  );
}

function fallbackUnit(token: EnrollmentToken): string {
  return `[Service]\nEnvironment=STEWARD_TOKEN=${token.token}\nExecStart=/usr/bin/java -jar /opt/steward/steward-agent.jar --hub ${token.hub} --state-dir /var/lib/steward-agent\nRestart=always\n`;
}
