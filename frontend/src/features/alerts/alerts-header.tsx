// The Alerts area's heading and tab row: Active and History (tabs of the alerts page), Rules and Channels (pages).
import type { ReactNode } from 'react';
import { ALERT_HISTORY_PATH, ALERT_RULES_PATH, ALERTS_PATH, CHANNELS_PATH, onLinkClick } from '../../lib/router';

export type AlertSection = 'active' | 'history' | 'rules' | 'channels';

const SECTIONS: { section: AlertSection; path: string; label: string; tooltip: string }[] = [
  { section: 'active', path: ALERTS_PATH, label: 'Active', tooltip: 'Alerts pending or firing now, and silences' },
  { section: 'history', path: ALERT_HISTORY_PATH, label: 'History', tooltip: 'Past and current firing episodes' },
  { section: 'rules', path: ALERT_RULES_PATH, label: 'Rules', tooltip: 'What fires an alert' },
  { section: 'channels', path: CHANNELS_PATH, label: 'Channels', tooltip: 'Where notifications go, and their deliveries' },
];

/** `children`: the page's own action beside the heading (e.g. "+ New rule"). */
export function AlertsHeader({ section, children }: { section: AlertSection; children?: ReactNode }) {
  return (
    <>
      <div className="page-head"><h1>Alerts</h1>{children}</div>
      <nav className="tabs" role="tablist">
        {SECTIONS.map((s) => (
          <a key={s.section} role="tab" aria-selected={section === s.section} className={section === s.section ? 'active' : ''}
            href={s.path} onClick={onLinkClick} title={s.tooltip} data-testid={`alerts-tab-${s.section}`}>{s.label}</a>
        ))}
      </nav>
    </>
  );
}
