import { useCallback, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/http';
import { removeById, upsertById, useLoad } from '../../lib/use-load';
import type { Channel } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { ConfirmDialog } from '../../components/dialog';
import { EditDeleteButtons } from '../../components/edit-delete-buttons';
import { LoadStatus } from '../../components/feedback';
import { AlertsHeader } from '../alerts/alerts-header';
import { deleteChannel, listChannels, testChannel } from './api';
import { CHANNEL_TYPES, ChannelForm } from './channel-form';
import { Deliveries } from './deliveries';
import './channels.css';

type TestResult = { ok: true } | { ok: false; error: string } | 'sending';

const TYPE_LABELS = new Map(CHANNEL_TYPES.map((t) => [t.type, t.label]));

/** "warning + critical · all groups · tags nginx · reminder every 4 h" */
export function routingSummary(channel: Channel): string {
  const parts = [
    channel.severities.length === 0 ? 'no severity' : channel.severities.join(' + '),
    channel.groups.length === 0 ? 'all groups' : `group${channel.groups.length > 1 ? 's' : ''} ${channel.groups.join(', ')}`,
    channel.tags.length === 0 ? 'any tag' : `tag${channel.tags.length > 1 ? 's' : ''} ${channel.tags.join(', ')}`,
  ];
  if (channel.remindEveryHours !== null) parts.push(`reminder every ${channel.remindEveryHours} h`);
  return parts.join(' · ');
}

/** Notification channels (list, health, test, create, edit, delete) and the deliveries below. */
export default function ChannelsPage() {
  const { http, me } = useApp();
  const canEdit = me.role === 'ADMIN';
  const channels = useLoad(useCallback(() => listChannels(http), [http]));
  const [editing, setEditing] = useState<{ channel: Channel | null } | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const [tests, setTests] = useState<Record<string, TestResult>>({});
  const [sent, setSent] = useState(0);

  const saved = (channel: Channel) => {
    channels.setData((list) => upsertById(list, channel));
    setEditing(null);
  };

  const test = (channel: Channel) => {
    setTests((t) => ({ ...t, [channel.id]: 'sending' }));
    testChannel(http, channel.id).then(
      () => setTests((t) => ({ ...t, [channel.id]: { ok: true } })),
      (failure: unknown) => setTests((t) => ({ ...t, [channel.id]: { ok: false, error: errorMessage(failure) } })),
    ).finally(() => {
      // The test is a delivery too, and its outcome changes the channel's health.
      setSent((n) => n + 1);
      channels.reload();
    });
  };

  return (
    <main className="page">
      <AlertsHeader section="channels">
        {canEdit && editing === null && (
          <button type="button" onClick={() => setEditing({ channel: null })} data-testid="new-channel"
            title="Add an email, Telegram, Slack, Discord or webhook destination">+ New channel</button>
        )}
      </AlertsHeader>
      {editing !== null && (
        <ChannelForm key={editing.channel?.id ?? 'new'} channel={editing.channel} onSaved={saved} onCancel={() => setEditing(null)} />
      )}
      <section className="alerts-section">
        <LoadStatus loaded={channels} failure="Could not load the channels" lines={4} />
        {channels.data !== null && channels.data.length === 0 && (
          <div className="empty card">
            <h2>No notification channels</h2>
            <p className="muted">Alerts show here and in the bell, but nobody is notified anywhere else until a channel exists.</p>
          </div>
        )}
        {channels.data !== null && channels.data.length > 0 && (
          <div className="card table-card">
            <table className="data-table" data-testid="channels-table">
              <thead>
                <tr><th>Name</th><th>Type</th><th>Sends</th><th>Health</th>{canEdit && <th><span className="sr-only">Actions</span></th>}</tr>
              </thead>
              <tbody>
                {channels.data.map((channel) => (
                  <tr key={channel.id} data-testid="channel-row" className={channel.enabled ? '' : 'is-disabled'}>
                    <td>{channel.name}{!channel.enabled && <span className="tag" title="Sends nothing while disabled"> disabled</span>}</td>
                    <td>{TYPE_LABELS.get(channel.type) ?? channel.type}
                      {channel.redacted && <span className="muted small" data-testid="channel-redacted"
                        title="Addresses, URLs and chat ids are shown to admins only"> (destination hidden)</span>}</td>
                    <td className="small">{routingSummary(channel)}</td>
                    <td><Health channel={channel} /></td>
                    {canEdit && (
                      <td className="row-actions">
                        <TestButton result={tests[channel.id]} onTest={() => test(channel)} />
                        <EditDeleteButtons name={channel.name} what="channel" onEdit={() => setEditing({ channel })}
                          onDelete={() => setDeleting(channel)} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Deliveries channels={channels.data ?? []} version={sent} />
      {deleting !== null && (
        <ConfirmDialog title={`Delete the channel ${deleting.name}?`} confirmLabel="Delete channel"
          message="Nothing more is sent through it, and its stored secrets are deleted. This cannot be undone."
          onConfirm={() => deleteChannel(http, deleting.id).then(() => {
            channels.setData((list) => removeById(list, deleting.id));
            if (editing?.channel?.id === deleting.id) setEditing(null);
          })}
          onClose={() => setDeleting(null)} />
      )}
    </main>
  );
}

function Health({ channel }: { channel: Channel }) {
  const health = channel.health;
  if (health.failing) {
    return (
      <div className="health" data-testid="channel-failing">
        <span className="badge badge-crit" title={`${health.consecutiveFailures} failures in a row${health.lastFailureAt
          ? `, last ${formatDateTime(health.lastFailureAt)}` : ''}`}>failing</span>
        {health.lastError !== null && <div className="error-text small" title={health.lastError}>{health.lastError}</div>}
      </div>
    );
  }
  if (health.lastSuccessAt !== null) {
    return <span className="health-ok" title={`Last delivered ${formatDateTime(health.lastSuccessAt)}`}>ok · <Ago iso={health.lastSuccessAt} /></span>;
  }
  return <span className="muted" title="Nothing has been sent through this channel yet">not used yet</span>;
}

function TestButton({ result, onTest }: { result: TestResult | undefined; onTest: () => void }) {
  return (
    <span className="test-action">
      <button type="button" className="secondary small-button" onClick={onTest} disabled={result === 'sending'}
        title="Send a test message through this channel now" data-testid="test-channel">{result === 'sending' ? 'Sending…' : 'Send test'}</button>
      {result !== undefined && result !== 'sending' && (result.ok
        ? <span className="form-ok small" role="status" data-testid="test-result">Test sent</span>
        : <span className="error-text small" role="alert" data-testid="test-result" title={result.error}>Failed: {result.error}</span>)}
    </span>
  );
}
