import { useState } from 'react';
import { useApp } from '../../lib/app-context';
import type { Channel, ChannelInput, ChannelType, Severity } from '../../lib/wire';
import { EditorForm } from '../../components/editor-form';
import { splitList } from '../alerts/alert-format';
import { createChannel, updateChannel } from './api';

interface FieldSpec {
  key: string;
  label: string;
  tooltip: string;
  kind: 'text' | 'number' | 'list' | 'select' | 'pem' | 'check';
  options?: string[];
  optional?: boolean;
  placeholder?: string;
  initial?: string;
}

interface SecretSpec {
  key: string;
  label: string;
  tooltip: string;
  optional?: boolean;
}

const CHANNEL_LABELS: Record<ChannelType, string> = {
  email: 'Email (SMTP)',
  telegram: 'Telegram',
  slack: 'Slack',
  discord: 'Discord',
  webhook: 'Webhook',
};

/** Every type the node takes, in the order the form offers them. */
export const CHANNEL_TYPES: { type: ChannelType; label: string }[] = (Object.keys(CHANNEL_LABELS) as ChannelType[])
  .map((type) => ({ type, label: CHANNEL_LABELS[type] }));

/** Per type: its non-secret settings and its write-only secrets (see the contract). */
export const CHANNEL_FIELDS: Record<ChannelType, { settings: FieldSpec[]; secrets: SecretSpec[] }> = {
  email: {
    settings: [
      { key: 'host', label: 'SMTP host', kind: 'text', tooltip: 'The mail server to send through', placeholder: 'smtp.example.com' },
      { key: 'port', label: 'Port', kind: 'number', tooltip: '587 for STARTTLS, 465 for TLS, 25 for none', initial: '587' },
      { key: 'security', label: 'Security', kind: 'select', options: ['starttls', 'tls', 'none'], initial: 'starttls',
        tooltip: 'STARTTLS upgrades a plain connection; TLS encrypts from the start' },
      { key: 'username', label: 'Username', kind: 'text', optional: true, tooltip: 'Empty when the server needs no login' },
      { key: 'from', label: 'From', kind: 'text', tooltip: 'The sender address', placeholder: 'steward@example.com' },
      { key: 'to', label: 'To', kind: 'list', tooltip: 'Recipients, separated by commas', placeholder: 'ops@example.com, me@example.com' },
      { key: 'allowPlainAuth', label: 'Allow login without encryption', kind: 'check', optional: true,
        tooltip: 'Only with security "none" and a username: sends the password in clear. Off unless this network is trusted' },
      { key: 'tlsCertificate', label: 'Trusted certificate (PEM)', kind: 'pem', optional: true,
        placeholder: '-----BEGIN CERTIFICATE-----',
        tooltip: 'For a server with a private CA or a self-signed certificate: trust exactly this one (the host name is still checked). Empty: the usual public CAs' },
    ],
    secrets: [{ key: 'password', label: 'Password', optional: true, tooltip: 'The SMTP password; never shown again once saved' }],
  },
  telegram: {
    settings: [
      { key: 'chatId', label: 'Chat id', kind: 'text', tooltip: 'The chat, group or channel the bot writes to', placeholder: '-1001234567890' },
      { key: 'apiBase', label: 'API base URL', kind: 'text', optional: true, placeholder: 'https://api.telegram.org',
        tooltip: 'Only for a Telegram Bot API proxy; empty for Telegram itself' },
    ],
    secrets: [{ key: 'botToken', label: 'Bot token', tooltip: 'From @BotFather; never shown again once saved' }],
  },
  slack: {
    settings: [],
    secrets: [{ key: 'webhookUrl', label: 'Incoming webhook URL', tooltip: 'https://hooks.slack.com/services/…; never shown again once saved' }],
  },
  discord: {
    settings: [],
    secrets: [{ key: 'webhookUrl', label: 'Webhook URL', tooltip: 'https://discord.com/api/webhooks/…; never shown again once saved' }],
  },
  webhook: {
    settings: [{ key: 'url', label: 'URL', kind: 'text', tooltip: 'Steward POSTs a JSON body here', placeholder: 'https://example.com/steward' }],
    secrets: [{ key: 'hmacSecret', label: 'HMAC secret', optional: true,
      tooltip: 'At least 16 characters. Signs each request: header X-Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">. Never shown again once saved' }],
  },
};

/**
 * Per type: the settings that decide where (and how) the secrets travel. The node drops the stored secrets when one
 * of them changes, unless they are entered again (so a session cannot redirect a stored token to its own host).
 */
export const DESTINATION_SETTINGS: Record<ChannelType, string[]> = {
  email: ['host', 'port', 'security', 'tlsCertificate'],
  telegram: ['apiBase'],
  slack: [],
  discord: [],
  webhook: ['url'],
};

const effective = (key: string, value: string | undefined): string => {
  const text = (value ?? '').trim();
  return key === 'apiBase' ? (text === '' ? 'https://api.telegram.org' : text).replace(/\/+$/, '') : text;
};

/** The destination settings of `draft` that differ from what `channel` has stored. */
export function changedDestinations(channel: Channel | null, draft: ChannelDraft): string[] {
  if (channel === null || channel.type !== draft.type) return [];
  const before = channelDraftOf(channel).settings;
  return DESTINATION_SETTINGS[draft.type].filter((key) => effective(key, before[key]) !== effective(key, draft.settings[key]));
}

/** The form as typed; settings of every type are kept so switching the type back loses nothing. */
export interface ChannelDraft {
  name: string;
  type: ChannelType;
  enabled: boolean;
  severities: Severity[];
  groups: string;
  tags: string;
  remindEveryHours: string;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export function channelDraftOf(channel: Channel | null): ChannelDraft {
  const settings: Record<string, string> = {};
  for (const spec of Object.values(CHANNEL_FIELDS).flatMap((f) => f.settings)) {
    if (spec.initial !== undefined) settings[spec.key] = spec.initial;
  }
  if (channel === null) {
    return { name: '', type: 'email', enabled: true, severities: ['warning', 'critical'], groups: '', tags: '',
      remindEveryHours: '', settings, secrets: {} };
  }
  for (const [key, value] of Object.entries(channel.settings)) {
    if (value != null) settings[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return {
    name: channel.name,
    type: channel.type,
    enabled: channel.enabled,
    severities: channel.severities,
    groups: channel.groups.join(', '),
    tags: channel.tags.join(', '),
    remindEveryHours: channel.remindEveryHours === null ? '' : String(channel.remindEveryHours),
    settings,
    // Secrets are write-only: the form starts empty, and empty means "keep the stored one".
    secrets: {},
  };
}

/**
 * The request body: only the current type's fields, empty optional settings and empty secrets left out (an absent
 * secret keeps the stored one). `stored`: the secrets the node holds for this channel.
 */
export function channelInputOf(draft: ChannelDraft, stored: ReadonlySet<string> = new Set()): { input: ChannelInput } | { error: string } {
  const specs = CHANNEL_FIELDS[draft.type];
  const settings: Record<string, unknown> = {};
  for (const spec of specs.settings) {
    const text = (draft.settings[spec.key] ?? '').trim();
    if (text === '') {
      if (spec.optional) continue;
      return { error: `${spec.label} is required.` };
    }
    if (spec.kind === 'check') {
      if (text === 'true') settings[spec.key] = true;
    } else if (spec.kind === 'number') {
      const number = Number(text);
      if (!Number.isInteger(number)) return { error: `${spec.label} must be a whole number.` };
      settings[spec.key] = number;
    } else if (spec.kind === 'list') {
      settings[spec.key] = splitList(text);
    } else {
      settings[spec.key] = text;
    }
  }
  const secrets: Record<string, string> = {};
  for (const spec of specs.secrets) {
    const value = draft.secrets[spec.key] ?? '';
    if (value !== '') secrets[spec.key] = value;
    else if (!spec.optional && !stored.has(spec.key)) return { error: `${spec.label} is required.` };
  }
  let remind: number | null = null;
  if (draft.remindEveryHours.trim() !== '') {
    remind = Number(draft.remindEveryHours.trim());
    if (!Number.isFinite(remind) || remind <= 0) return { error: 'Remind every: a number of hours above 0, or empty for never.' };
  }
  if (draft.severities.length === 0) return { error: 'Choose at least one severity to send.' };
  return {
    input: {
      name: draft.name.trim(),
      type: draft.type,
      enabled: draft.enabled,
      severities: draft.severities,
      groups: splitList(draft.groups),
      tags: splitList(draft.tags),
      remindEveryHours: remind,
      settings,
      secrets,
    },
  };
}

const SEVERITIES: Severity[] = ['warning', 'critical'];

/** Create (channel = null) or edit a channel; fields follow its type. A rejected save keeps every field. */
export function ChannelForm({ channel, onSaved, onCancel }: { channel: Channel | null; onSaved: (channel: Channel) => void; onCancel: () => void }) {
  const { http } = useApp();
  const [draft, setDraft] = useState<ChannelDraft>(() => channelDraftOf(channel));
  const set = <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setSetting = (key: string, value: string) => setDraft((d) => ({ ...d, settings: { ...d.settings, [key]: value } }));
  const setSecret = (key: string, value: string) => setDraft((d) => ({ ...d, secrets: { ...d.secrets, [key]: value } }));
  const moved = changedDestinations(channel, draft);
  const kept = channel !== null && channel.type === draft.type ? channel.secretsSet : [];
  // A changed destination drops the stored secrets on the node: the form asks for them again.
  const stored = new Set(moved.length === 0 ? kept : []);
  const dropped = moved.length === 0 ? [] : kept;
  const specs = CHANNEL_FIELDS[draft.type];

  /** The save request, or what to fix first. */
  const submit = () => {
    const checked = channelInputOf(draft, stored);
    if ('error' in checked) return checked.error;
    return channel === null ? createChannel(http, checked.input) : updateChannel(http, channel.id, checked.input);
  };

  return (
    <EditorForm what="channel" name={channel?.name ?? null} onSubmit={submit} onSaved={onSaved} onCancel={onCancel}
      saveTitle="Save the channel">
      <div className="form-grid">
        <label>Name
          <input name="name" value={draft.name} maxLength={100} onChange={(e) => set('name', e.target.value)} required
            title="How this channel is listed" placeholder="On-call email" />
        </label>
        <label>Type
          <select name="type" value={draft.type} onChange={(e) => set('type', e.target.value as ChannelType)} disabled={channel !== null}
            data-testid="channel-type"
            title={channel === null ? 'Where notifications are sent' : 'A channel keeps its type; create a new channel for another'}>
            {CHANNEL_TYPES.map((t) => <option key={t.type} value={t.type}>{t.label}</option>)}
          </select>
        </label>
        {specs.settings.map((spec) => (
          <label key={`${draft.type}-${spec.key}`}>{spec.label}{spec.optional && <span className="muted small"> (optional)</span>}
            {spec.kind === 'select' ? (
              <select name={spec.key} value={draft.settings[spec.key] ?? ''} onChange={(e) => setSetting(spec.key, e.target.value)} title={spec.tooltip}>
                {(spec.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            ) : spec.kind === 'check' ? (
              <input name={spec.key} type="checkbox" checked={draft.settings[spec.key] === 'true'} title={spec.tooltip}
                onChange={(e) => setSetting(spec.key, e.target.checked ? 'true' : '')} />
            ) : spec.kind === 'pem' ? (
              <textarea name={spec.key} rows={4} maxLength={3000} className="mono" value={draft.settings[spec.key] ?? ''}
                onChange={(e) => setSetting(spec.key, e.target.value)} title={spec.tooltip} placeholder={spec.placeholder} />
            ) : (
              <input name={spec.key} type={spec.kind === 'number' ? 'number' : 'text'} value={draft.settings[spec.key] ?? ''}
                onChange={(e) => setSetting(spec.key, e.target.value)} title={spec.tooltip} placeholder={spec.placeholder}
                required={!spec.optional} autoComplete="off" />
            )}
          </label>
        ))}
        {dropped.length > 0 && (
          <p className="secrets-reenter small" role="status" data-testid="secrets-reenter">
            The destination changed ({moved.join(', ')}): the stored {specs.secrets.filter((spec) => dropped.includes(spec.key))
              .map((spec) => spec.label.toLowerCase()).join(', ')} will be dropped unless entered again below.
          </p>
        )}
        {specs.secrets.map((spec) => (
          <label key={`${draft.type}-${spec.key}`}>{spec.label}{spec.optional && !stored.has(spec.key) && <span className="muted small"> (optional)</span>}
            <input name={spec.key} type="password" value={draft.secrets[spec.key] ?? ''} autoComplete="new-password"
              onChange={(e) => setSecret(spec.key, e.target.value)} required={!spec.optional && !stored.has(spec.key)}
              placeholder={stored.has(spec.key) ? 'stored — leave empty to keep' : ''} data-testid={`secret-${spec.key}`}
              title={stored.has(spec.key) ? `${spec.tooltip}. A value is stored: leave empty to keep it, type to replace it` : spec.tooltip} />
          </label>
        ))}
      </div>
      <h3>Routing</h3>
      <div className="form-grid">
        <fieldset className="choices">
          <legend>Severities</legend>
          {SEVERITIES.map((severity) => (
            <label key={severity} className="check" title={`Send ${severity} alerts`}>
              <input type="checkbox" checked={draft.severities.includes(severity)} onChange={(e) => set('severities',
                e.target.checked ? SEVERITIES.filter((s) => s === severity || draft.severities.includes(s)) : draft.severities.filter((s) => s !== severity))} />
              {severity}
            </label>
          ))}
        </fieldset>
        <label>Groups <span className="muted small">(empty = all)</span>
          <input name="groups" value={draft.groups} onChange={(e) => set('groups', e.target.value)} placeholder="all groups"
            title="Only alerts of servers in these groups, separated by commas; empty for every group" />
        </label>
        <label>Tags <span className="muted small">(empty = all)</span>
          <input name="tags" value={draft.tags} onChange={(e) => set('tags', e.target.value)} placeholder="all tags"
            title="Only alerts of servers with one of these tags, separated by commas; empty for every server" />
        </label>
        <label>Remind every <span className="muted small">(hours)</span>
          <input name="remindEveryHours" type="number" min={1} step="any" value={draft.remindEveryHours}
            onChange={(e) => set('remindEveryHours', e.target.value)} placeholder="never"
            title="Repeat the notification while an alert keeps firing unacknowledged; empty for never" />
        </label>
      </div>
      <label className="check" title="A disabled channel sends nothing">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
      </label>
    </EditorForm>
  );
}
