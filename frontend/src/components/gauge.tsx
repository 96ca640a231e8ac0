import { memo } from 'react';
import { formatPercent, level } from '../lib/format';

interface GaugeProps {
  label: string;
  percent: number | null | undefined;
  /** Extra line under the value, e.g. "3.1 GiB of 8 GiB". */
  detail?: string;
  tooltip: string;
  size?: 'small' | 'large';
  testId?: string;
}

/** A ring gauge coloured by level (green < 70 %, amber < 90 %, red). */
export const Gauge = memo(function Gauge({ label, percent, detail, tooltip, size = 'small', testId }: GaugeProps) {
  const value = percent == null || !Number.isFinite(percent) ? null : Math.max(0, Math.min(100, percent));
  const radius = 16;
  const circumference = 2 * Math.PI * radius;
  const dash = value === null ? 0 : (value / 100) * circumference;
  return (
    <div className={`gauge gauge-${size} level-${level(percent)}`} title={tooltip} role="meter"
      aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value ?? undefined}>
      <svg viewBox="0 0 40 40" aria-hidden="true">
        <circle className="gauge-track" cx="20" cy="20" r={radius} />
        <circle className="gauge-fill" cx="20" cy="20" r={radius}
          strokeDasharray={`${dash} ${circumference}`} transform="rotate(-90 20 20)" />
      </svg>
      <div className="gauge-text">
        <span className="gauge-value" data-testid={testId}>{formatPercent(percent)}</span>
        <span className="gauge-label">{label}</span>
        {detail !== undefined && <span className="gauge-detail">{detail}</span>}
      </div>
    </div>
  );
});

/** A horizontal usage bar with the same colours. */
export function UsageBar({ percent, tooltip }: { percent: number | null | undefined; tooltip: string }) {
  const value = percent == null || !Number.isFinite(percent) ? 0 : Math.max(0, Math.min(100, percent));
  return (
    <div className={`bar level-${level(percent)}`} title={tooltip} role="meter" aria-valuemin={0} aria-valuemax={100}
      aria-valuenow={value} aria-label={tooltip}>
      <div className="bar-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
