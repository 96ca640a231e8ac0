import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/http';
import type { InboxItem } from '../../lib/wire';
import { isUnread, useInbox, useInboxStore } from './inbox-store';
import { CHANNELS_PATH, onLinkClick, serverPath } from '../../lib/router';
import { Ago } from '../../components/ago';

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

function BellItem({ item, unread, onOpen }: { item: InboxItem; unread: boolean; onOpen: () => void }) {
  // A failing channel belongs to no server: its item leads to the channels page.
  const href = item.serverId !== null ? serverPath(item.serverId) : CHANNELS_PATH;
  const tone = item.kind === 'resolved' ? 'ok' : item.severity === 'critical' || item.kind === 'channel-failing' ? 'crit' : 'warn';
  return (
    <li className={unread ? 'bell-item unread' : 'bell-item'} data-testid="bell-item">
      <a href={href} onClick={(event) => { onOpen(); onLinkClick(event); }}
        title={item.serverName !== null ? `Open ${item.serverName}` : 'Open the notification channels'}>
        <span className={`sev-dot sev-${tone}`} aria-hidden="true" />
        <span className="bell-text">
          <span>{item.text}</span>
          <span className="muted small">{item.serverName ?? 'Notification channels'} · <Ago iso={item.at} /></span>
        </span>
      </a>
    </li>
  );
}
