// The list of checks: one row each with its state, target, uptimes, latency line, certificate and vantages.
import { formatMillis } from '../../lib/format';
import { checkPath, onLinkClick } from '../../lib/router';
import { Ago } from '../../components/ago';
import {
  certificateTone, checkTarget, formatDaysLeft, formatUptime, KIND_LABELS, uptimeTone, vantagesSummary, watchesCertificate,
} from './check-format';
import { LatencySparkline } from './latency-sparkline';
import type { SparklineLoader } from './sparkline-loader';
import { CheckStateBadge } from './state-badge';
import type { Check } from './types';

const UPTIME_COLUMNS: { key: 'day' | 'week' | 'month'; label: string; tooltip: string }[] = [
  { key: 'day', label: '24 h', tooltip: 'Uptime over the last 24 hours (maintenance excluded)' },
  { key: 'week', label: '7 d', tooltip: 'Uptime over the last 7 days (maintenance excluded)' },
  { key: 'month', label: '30 d', tooltip: 'Uptime over the last 30 days (maintenance excluded)' },
];

export function ChecksTable({ checks, loader, refresh }: { checks: Check[]; loader: SparklineLoader; refresh: number }) {
  return (
    <div className="card table-card">
      <table className="data-table ck-table" data-testid="checks-table">
        <thead>
          <tr>
            <th>State</th><th>Name</th><th>Target</th><th>Group</th>
            {UPTIME_COLUMNS.map((c) => <th key={c.key} className="num" title={c.tooltip}>{c.label}</th>)}
            <th title="Total latency over the last hour (median of the vantages); the value is the latest">Latency</th>
            <th title="Days until the served certificate expires">Certificate</th>
            <th>Vantages</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => <CheckRow key={check.id} check={check} loader={loader} refresh={refresh} />)}
        </tbody>
      </table>
    </div>
  );
}

function CheckRow({ check, loader, refresh }: { check: Check; loader: SparklineLoader; refresh: number }) {
  return (
    <tr data-testid="check-row" data-check-id={check.id} data-check-name={check.name} data-state={check.state}>
      <td>
        <CheckStateBadge state={check.state} />
        {check.since && <div className="muted small">since <Ago iso={check.since} /></div>}
      </td>
      <td><a href={checkPath(check.id)} onClick={onLinkClick} data-testid="check-link" title="Results, vantages and certificate">{check.name}</a></td>
      <td>
        <span className="ck-kind">{KIND_LABELS[check.kind] ?? check.kind}</span>{' '}
        <span className="mono" data-testid="check-target">{checkTarget(check)}</span>
      </td>
      <td>{check.group ?? <span className="muted">—</span>}</td>
      {UPTIME_COLUMNS.map((c) => {
        const value = check.uptime?.[c.key] ?? null;
        return <td key={c.key} className={`num ck-text-${uptimeTone(value)}`} data-testid={`uptime-${c.key}`}>{formatUptime(value)}</td>;
      })}
      <td>
        <div className="ck-latency-cell">
          <LatencySparkline checkId={check.id} loader={loader} refresh={refresh} />
          <span className="num small">{formatMillis(check.latencyMillis)}</span>
        </div>
      </td>
      <td><CertificateDays check={check} /></td>
      <td className="small" data-testid="check-vantages">{vantagesSummary(check.vantages)}</td>
    </tr>
  );
}

function CertificateDays({ check }: { check: Check }) {
  if (!watchesCertificate(check)) return <span className="muted" title="No certificate: not TLS">—</span>;
  const certificate = check.certificate;
  if (certificate == null) return <span className="muted" title="No result with a certificate yet">…</span>;
  const tone = certificateTone(certificate.daysLeft);
  return (
    <span className={`ck-badge ck-tone-${tone}`} data-testid="certificate-days" data-tone={tone}
      title={`Expires ${new Date(certificate.notAfter).toLocaleString()}${certificate.mismatch ? '; vantages or addresses are served different certificates' : ''}`}>
      {formatDaysLeft(certificate.daysLeft)}{certificate.mismatch ? ' ⚠' : ''}
    </span>
  );
}
