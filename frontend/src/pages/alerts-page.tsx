import type { AlertsTab } from '../lib/router';
import { ActiveTab } from './alerts/active-tab';
import { HistoryTab } from './alerts/history-tab';
import { AlertsHeader } from './alerts/shared';

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
