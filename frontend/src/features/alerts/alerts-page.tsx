import type { AlertsTab } from '../../lib/router';
import { ActiveTab } from './active-tab';
import { AlertsHeader } from './alerts-header';
import { HistoryTab } from './history-tab';
import './alerts.css';

/** Active alerts and silences, or the history of firing episodes. */
export default function AlertsPage({ tab }: { tab: AlertsTab }) {
  return (
    <main className="page">
      <AlertsHeader section={tab} />
      {tab === 'active' && <ActiveTab />}
      {tab === 'history' && <HistoryTab />}
    </main>
  );
}
