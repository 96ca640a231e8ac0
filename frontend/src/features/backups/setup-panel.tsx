// How a server's agent gets to back up: its key on the destination, the allow-lists it was started with, and the three
// steps of a first backup. Shown on the Backups tab.
import { useCallback, useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { useLoad, type Loaded } from '../../lib/use-load';
import type { BackupKey } from '../../lib/wire';
import { CopyButton, LoadStatus } from '../../components/feedback';
import { backupKey } from './api';

/** The agent's key and lists; `path`: the destination directory the authorized_keys line is for (the node's default otherwise). */
export function useBackupKey(serverId: string, path?: string): Loaded<BackupKey> {
  const { http } = useApp();
  return useLoad(useCallback(() => backupKey(http, serverId, path), [http, serverId, path]));
}

/** An example of the agent's backup file, with this server's first job in mind. */
export const EXAMPLE_BACKUPS_FILE = `{
  "allowSources": ["/srv/www", "/etc/nginx"],
  "allowDestinations": ["backup.example.com", "nas.lan:2222"]
}`;

/** What to do when the agent runs no backups: the file and the flag. */
export function AgentBackupsOff({ serverName }: { serverName: string }) {
  return (
    <div className="bk-agent-off" data-testid="backup-agent-disabled">
      <p><strong>The agent on {serverName} runs no backups:</strong> it was started without <code>--backups FILE</code>. The
        file says what it may back up and where to, so that a compromised node cannot make it read or send anything else:</p>
      <div className="code-block"><pre>{EXAMPLE_BACKUPS_FILE}</pre><CopyButton text={EXAMPLE_BACKUPS_FILE} /></div>
      <p className="muted small">Save it on {serverName} (e.g. <code>/etc/steward/backups.json</code>), add
        {' '}<code>--backups /etc/steward/backups.json</code> to the agent's command line (its systemd unit's <code>ExecStart</code>),
        and restart the agent. It needs <code>rsync</code> and <code>ssh</code>; it makes its own SSH key on first start and reports it here.</p>
    </div>
  );
}

/** The three steps of a first backup, for the destination `user@host:path` when known. */
export function SetupSteps({ user, host }: { user: string | null; host: string | null }) {
  const account = user ?? 'USER';
  return (
    <ol className="bk-steps" data-testid="backup-setup-steps">
      <li><strong>Let the agent in.</strong> On the destination{host !== null ? ` (${host})` : ''}, append the line to
        {' '}<code>~{account}/.ssh/authorized_keys</code> (directory mode 700, file 600). It lets this key run only rsync into
        that directory (<code>rrsync</code>, part of Debian's <code>rsync</code> package), with every other SSH feature off.</li>
      <li><strong>Accept the host key.</strong> Once the job exists the agent fetches the destination's host key; compare its
        fingerprint with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> run on the destination, then trust it.</li>
      <li><strong>Run it.</strong> "Run now" (or wait for the schedule) and watch the run succeed; its snapshot can then be
        browsed and restored from.</li>
    </ol>
  );
}

/** The per-server panel: the agent's public key, the authorized_keys line for a destination directory, the allow-lists. */
export function SetupPanel({ serverId, serverName }: { serverId: string; serverName: string }) {
  const [path, setPath] = useState(`/srv/backups/${serverId}`);
  const [asked, setAsked] = useState(path);
  const key = useBackupKey(serverId, asked);
  const ask = (event: FormEvent) => {
    event.preventDefault();
    setAsked(path);
  };
  const data = key.data;
  return (
    <section className="card pad bk-setup" data-testid="backup-setup" id="backup-setup">
      <div className="section-head">
        <h2>Setup: the agent's key on the destination</h2>
        <button type="button" className="secondary small-button" onClick={key.reload} title="Ask the node again">Refresh</button>
      </div>
      <LoadStatus loaded={key} failure="Could not load the agent's backup key" lines={4} />
      {data !== null && !data.enabled && <AgentBackupsOff serverName={serverName} />}
      {data !== null && data.enabled && (
        <>
          {data.publicKey === null ? (
            <p className="muted" data-testid="backup-public-key-missing">The agent has not reported its backup key yet (it does when it connects).</p>
          ) : (
            <>
              <h3>The agent's public key</h3>
              <div className="code-block"><pre data-testid="backup-public-key">{data.publicKey}</pre><CopyButton text={data.publicKey} /></div>
              <h3>The line for authorized_keys</h3>
              <form className="bk-key-path" onSubmit={ask}>
                <label className="inline">For the destination directory
                  <input value={path} onChange={(e) => setPath(e.target.value)} className="mono" data-testid="backup-key-path"
                    title="The directory the key may write to on the destination (each job shows its own line too)" />
                </label>
                <button type="submit" className="secondary small-button" title="Make the line for this directory">Show the line</button>
              </form>
              {data.authorizedKeysLine !== null && (
                <div className="code-block"><pre data-testid="backup-key-line">{data.authorizedKeysLine}</pre><CopyButton text={data.authorizedKeysLine} /></div>
              )}
            </>
          )}
          <dl className="facts bk-allow">
            <div><dt>Sources the agent allows</dt><dd data-testid="backup-allow-sources">{data.allowSources.join(', ') || 'none'}</dd></div>
            <div><dt>Destinations the agent allows</dt><dd data-testid="backup-allow-destinations">{data.allowDestinations.join(', ') || 'none'}</dd></div>
            <div><dt>rsync</dt><dd>{data.rsyncVersion ?? '—'}</dd></div>
          </dl>
          <p className="muted small">A job outside these lists is refused by the agent; they change only in its <code>--backups</code> file.</p>
          <SetupSteps user={null} host={null} />
        </>
      )}
    </section>
  );
}
