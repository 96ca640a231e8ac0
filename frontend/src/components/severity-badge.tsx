import type { Severity } from '../lib/wire';

const TOOLTIPS: Record<Severity, string> = {
  critical: 'Critical: needs attention now',
  warning: 'Warning: needs attention soon',
};

/** "critical" in red, "warning" in amber; a dash when there is none. */
export function SeverityBadge({ severity }: { severity: Severity | null }) {
  if (severity === null) return <span className="muted">—</span>;
  return (
    <span className={`badge ${severity === 'critical' ? 'badge-crit' : 'badge-warn'}`} data-testid="severity"
      title={TOOLTIPS[severity]}>{severity}</span>
  );
}
