import { known } from '../lib/format';
import type { Severity } from '../lib/wire';

const TOOLTIPS: Record<Severity, string> = {
  critical: 'Critical: needs attention now',
  warning: 'Warning: needs attention soon',
};

const BADGES: Record<Severity, string> = {
  critical: 'badge-crit',
  warning: 'badge-warn',
};

/** "critical" in red, "warning" in amber; a dash when there is none. */
export function SeverityBadge({ severity }: { severity: Severity | null }) {
  if (severity === null) return <span className="muted">—</span>;
  return (
    <span className={`badge ${known(BADGES, severity) ?? 'badge-warn'}`} data-testid="severity"
      title={TOOLTIPS[severity]}>{severity}</span>
  );
}
