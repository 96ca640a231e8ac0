import { useEffect, useRef, useState } from 'react';
import { known } from '../../lib/format';
import { errorMessage } from '../../lib/http';
import { ALERTS_PATH, CHANNELS_PATH, onLinkClick, subjectPath } from '../../lib/router';
import type { InboxItem, InboxKind, Severity } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { isUnread, useInbox, useInboxStore } from './inbox-store';

/** The bell: unread count, and the newest inbox items in a dropdown. Opening it does not mark anything read. */
export function Bell() {
  const inbox = useInboxStore();
  const state = useInbox(inbox);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (root.current !== null && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => { if (event.key === 'Escape') setOpen(false); };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const markAll = () => {
    setError(null);
    inbox.markAllRead().catch((failure: unknown) => setError(errorMessage(failure)));
  };
  const count = state.unread > 99 ? '99+' : String(state.unread);
  return (
    <div className="bell" ref={root}>
      <button type="button" className="icon-button bell-button" onClick={() => setOpen((o) => !o)} data-testid="bell"
        aria-expanded={open} aria-haspopup="true"
        title={state.unread > 0 ? `${state.unread} unread notification${state.unread === 1 ? '' : 's'}` : 'Notifications'}>
        <svg className="bell-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M6 9a6 6 0 0 1 12 0c0 6 2.5 8 2.5 8h-17S6 15 6 9" /><path d="M10 20.5a2.2 2.2 0 0 0 4 0" />
        </svg>
        {state.unread > 0 && <span className="bell-count" data-testid="bell-count">{count}</span>}
      </button>
      {open && (
        <div className="bell-menu card" role="dialog" aria-label="Notifications" data-testid="bell-menu">
          <div className="bell-head">
            <strong>Notifications</strong>
            <button type="button" className="secondary small-button" onClick={markAll} disabled={state.unread === 0}
              title="Mark every notification listed here as read" data-testid="bell-mark-read">Mark all read</button>
          </div>
          {error !== null && <div className="form-error small" role="alert">{error}</div>}
          {state.error !== null && !state.loaded && <div className="form-error small" role="alert">Could not load: {state.error}</div>}
          {state.loaded && state.items.length === 0 && <p className="muted bell-empty">Nothing yet — alerts that fire or resolve show up here.</p>}
          <ul className="bell-list">
            {state.items.map((item, index) => (
              <BellItem key={item.id} item={item} unread={isUnread(state, index)} onOpen={() => setOpen(false)} />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

type Tone = 'ok' | 'warn' | 'crit';

interface ItemView {
  /** The colour of its dot. */
  tone: Tone;
  /** Where clicking it leads, and the tooltip saying so. */
  href: string;
  title: string;
  /** What it is about, under its text. */
  source: string;
}

/** An item about a server's alert leads to the server (the channels page when it names none). */
function aboutServer(item: InboxItem, tone: Tone): ItemView {
  return {
    tone,
    href: item.serverId !== null ? subjectPath(item.serverId) : CHANNELS_PATH,
    title: item.serverName !== null ? `Open ${item.serverName}` : 'Open the notification channels',
    source: item.serverName ?? 'Notification channels',
  };
}

const SEVERITY_TONES: Record<Severity, Tone> = { critical: 'crit', warning: 'warn' };

const severityTone = (item: InboxItem): Tone => known(SEVERITY_TONES, item.severity) ?? 'warn';

const KINDS: Record<InboxKind, (item: InboxItem) => ItemView> = {
  firing: (item) => aboutServer(item, severityTone(item)),
  resolved: (item) => aboutServer(item, 'ok'),
  // A failing channel belongs to no server: its item leads to the channels page.
  'channel-failing': () => ({ tone: 'crit', href: CHANNELS_PATH, title: 'Open the notification channels', source: 'Notification channels' }),
  // The node could not record an alert event; why is in its log. The server's page shows what it went through.
  // A known machine enrolled again: a possible takeover, shown on its server's page (approve it under Add server).
  're-enrollment': (item) => aboutServer(item, 'warn'),
  // A check's certificate reached one of its warning thresholds: leads to the check's page.
  'certificate-expiring': (item) => aboutServer(item, severityTone(item)),
  'notifier-error': (item) => ({
    tone: severityTone(item),
    href: item.serverId !== null ? subjectPath(item.serverId) : ALERTS_PATH,
    title: 'Steward could not record an alert event: the node log says why',
    source: item.serverId !== null ? `Steward notifier · ${item.serverName ?? item.serverId}` : 'Steward notifier',
  }),
};

function BellItem({ item, unread, onOpen }: { item: InboxItem; unread: boolean; onOpen: () => void }) {
  // A kind from a newer node shows like an alert of its server.
  const view = known(KINDS, item.kind)?.(item) ?? aboutServer(item, severityTone(item));
  return (
    <li className={unread ? 'bell-item unread' : 'bell-item'} data-testid="bell-item" data-kind={item.kind}>
      <a href={view.href} onClick={(event) => { onOpen(); onLinkClick(event); }} title={view.title}>
        <span className={`sev-dot sev-${view.tone}`} aria-hidden="true" />
        <span className="bell-text">
          <span>{item.text}</span>
          <span className="muted small">{view.source} · <Ago iso={item.at} /></span>
        </span>
      </a>
    </li>
  );
}
