// The state of a check or of one vantage: a coloured pill with the state as text (never colour alone).
import { known } from '../../lib/format';
import { CHECK_STATES, VANTAGE_STATES } from './check-format';
import type { CheckState, VantageState } from './types';
import './checks.css';

/** up / partial / down / pending / maintenance; `data-state` holds the wire value for browser tests. */
export function CheckStateBadge({ state, testId = 'check-state-badge' }: { state: CheckState; testId?: string }) {
  const look = known(CHECK_STATES, state) ?? { tone: 'idle', tooltip: state };
  return <span className={`ck-badge ck-tone-${look.tone}`} data-testid={testId} data-state={state} title={look.tooltip}>{state}</span>;
}

/** A vantage's state; "abstained" is grey (degraded, not failing), its tooltip says why it is not counted. */
export function VantageStateBadge({ state }: { state: VantageState }) {
  const look = known(VANTAGE_STATES, state) ?? { tone: 'idle', tooltip: state };
  return (
    <span className={`ck-badge ck-tone-${look.tone}${state === 'abstained' ? ' ck-abstained' : ''}`} data-testid="vantage-state"
      data-state={state} title={look.tooltip} aria-label={state === 'abstained' ? `abstained: ${look.tooltip}` : undefined}>{state}</span>
  );
}
