import { DownloadLink } from '../../components/download-link';
import { metricsExportUrl } from './api';

/** Downloads of every series over the charts' current range, at the resolution the charts use. */
export function ExportLinks({ serverId, from, to }: { serverId: string; from: Date; to: Date }) {
  return (
    <span className="inline" role="group" aria-label="Export">
      <span className="muted small">Export</span>
      <DownloadLink href={metricsExportUrl(serverId, 'csv', from, to)} testId="export-metrics-csv"
        title="Download every series of this range as CSV (time,series,value), at the resolution the charts use">CSV</DownloadLink>
      <DownloadLink href={metricsExportUrl(serverId, 'json', from, to)} testId="export-metrics-json"
        title="Download every series of this range as JSON, at the resolution the charts use">JSON</DownloadLink>
    </span>
  );
}
