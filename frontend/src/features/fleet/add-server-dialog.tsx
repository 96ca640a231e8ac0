import { useCallback } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useLoad } from '../../lib/use-load';
import { CopyButton, ErrorPanel, Skeleton } from '../../components/feedback';
import { Modal } from '../../components/modal';
import { AgentIdentityPanel } from './agent-identity-panel';
import { createEnrollmentToken } from './api';

/** Creates an enrollment token and shows the exact agent command and a systemd unit to copy. */
export function AddServerDialog({ onClose }: { onClose: () => void }) {
  const { http } = useApp();
  const { data: token, error, reload } = useLoad(useCallback(() => createEnrollmentToken(http, 'PT24H', 1), [http]));

  return (
    <Modal title="Add a server" onClose={onClose} testId="add-server-dialog" wide>
      <p className="muted">Run the agent on the server with this one-time token (valid 24 h, one server). It exchanges the
        token for its own credential on first contact. Needs Java 17.</p>
      {error !== null && <ErrorPanel title="Could not create a token" message={error} onRetry={reload} />}
      {error === null && token === null && <Skeleton lines={4} />}
      {token !== null && (
        <>
          <h3>Command</h3>
          <div className="code-block"><pre data-testid="agent-command">{token.command}</pre><CopyButton text={token.command} /></div>
          <p className="muted small">Token expires {formatDateTime(token.expiresAt)}.</p>
          <h3>As a systemd service</h3>
          <div className="code-block"><pre className="unit">{token.systemdUnit}</pre><CopyButton text={token.systemdUnit} /></div>
        </>
      )}
      {token !== null && <AgentIdentityPanel key={token.id} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} title="Close this dialog">Done</button>
      </div>
    </Modal>
  );
}
