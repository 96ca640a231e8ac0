import { useCallback, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useLoad } from '../../lib/use-load';
import { CopyButton, ErrorPanel, Skeleton } from '../../components/feedback';
import { Modal } from '../../components/modal';
import { AgentIdentityPanel } from './agent-identity-panel';
import { createEnrollmentToken } from './api';
import { SshInstallForm } from './ssh-install-form';

type Way = 'one-line' | 'ssh' | 'manual';

const WAYS: { way: Way; label: string; title: string }[] = [
  { way: 'one-line', label: 'One line', title: 'A command to run as root on the server' },
  { way: 'ssh', label: 'Over SSH', title: 'This node logs in to the server and installs the agent' },
  { way: 'manual', label: 'Manually', title: 'The jar on the server\'s own Java 17, and a systemd unit' },
];

/**
 * Three ways to install the agent: one line (the node's install.sh with a one-time token, the node's URL and pin: the
 * self-contained agent, no Java needed, with its uninstall line), over SSH (the node logs in and installs it), or
 * manually (the jar on a host's Java 17, with the exact command and a systemd unit).
 */
export function AddServerDialog({ onClose }: { onClose: () => void }) {
  const { http } = useApp();
  const [way, setWay] = useState<Way>('one-line');
  // Over SSH the node makes its own single-use token; the other two show this one.
  const { data: token, error, reload } = useLoad(useCallback(() => createEnrollmentToken(http, 'PT24H', 1), [http]));

  return (
    <Modal title="Add a server" onClose={onClose} testId="add-server-dialog" wide>
      <div className="segmented add-server-ways" role="group" aria-label="How to install the agent">
        {WAYS.map(({ way: each, label, title }) => (
          <button key={each} type="button" className={way === each ? 'active' : ''} aria-pressed={way === each}
            onClick={() => setWay(each)} data-testid={`add-server-${each}`} title={title}>{label}</button>
        ))}
      </div>
      {way === 'ssh' && <SshInstallForm onLeave={onClose} />}
      {way !== 'ssh' && (
        <>
          <p className="muted">Install the agent on the server with this one-time token (valid 24 h, one server). It
            exchanges the token for its own credential on first contact.</p>
          {error !== null && <ErrorPanel title="Could not create a token" message={error} onRetry={reload} />}
          {error === null && token === null && <Skeleton lines={4} />}
        </>
      )}
      {token !== null && way === 'one-line' && (
        token.installCommand !== null && token.uninstallCommand !== null ? (
          <>
            <h3>Install in one line</h3>
            <p className="muted small">Run as root on the server (Linux x86-64). It downloads the agent with its own
              Java runtime from this node, checks this node&apos;s certificate and the download&apos;s checksum, and
              starts it as a systemd service.</p>
            <div className="code-block"><pre data-testid="install-command">{token.installCommand}</pre><CopyButton text={token.installCommand} /></div>
            <p className="muted small">Token expires {formatDateTime(token.expiresAt)}. To remove the agent again:</p>
            <div className="code-block"><pre data-testid="uninstall-command">{token.uninstallCommand}</pre><CopyButton text={token.uninstallCommand} /></div>
          </>
        ) : (
          <p className="muted small" data-testid="no-install-command">No one-line install from this node: it serves
            no agent downloads (steward.downloads.dir) or plain HTTP. Token expires {formatDateTime(token.expiresAt)}.
            Install it manually.</p>
        )
      )}
      {token !== null && way === 'manual' && (
        <>
          <h3>Manually (Java 17 on the server)</h3>
          <div className="code-block"><pre data-testid="agent-command">{token.command}</pre><CopyButton text={token.command} /></div>
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
