import { useMemo } from 'react';
import { formatBits, formatBytes, formatBytesPerSecond, formatNumber, formatPercent } from '../../lib/format';
import { PALETTE, TimeChart } from '../../charts/time-chart';
import { Gauge, UsageBar } from '../../components/gauge';
import type { LiveState } from './server-page';

/** Live values of the latest report and charts of the bounded live window, updated on every report. */
export function LiveTab({ state }: { state: LiveState }) {
  const report = state.report;
  const { window, version } = state;
  // Columns: t, cpu, memory, swap, load1, rx, tx (see livePointOfReport).
  const columns = useMemo(() => window.columns(6), [window, version]);
  const cpu = useMemo(() => [columns[0] ?? [], columns[1] ?? []], [columns]);
  const memory = useMemo(() => [columns[0] ?? [], columns[2] ?? [], columns[3] ?? []], [columns]);
  const load = useMemo(() => [columns[0] ?? [], columns[4] ?? []], [columns]);
  const network = useMemo(() => [columns[0] ?? [], columns[5] ?? [], columns[6] ?? []], [columns]);

  if (report === null) {
    return <p className="muted card pad">No report yet: values appear as soon as the agent sends its first one.</p>;
  }
  const memoryDetail = `${formatBytes(report.memory.usedBytes)} of ${formatBytes(report.memory.totalBytes)}`;
  const swapDetail = report.memory.swapTotalBytes > 0
    ? `${formatBytes(report.memory.swapUsedBytes)} of ${formatBytes(report.memory.swapTotalBytes)}` : 'no swap';
  return (
    <div className="live-tab">
      <section className="gauges card" aria-label="Live gauges">
        <Gauge size="large" label="CPU" percent={report.cpu.percent} testId="detail-cpu"
          tooltip={`CPU busy over the last ${Math.round(report.intervalMillis / 1000)} s, all ${report.cpu.perCore.length} threads`} />
        <Gauge size="large" label="Memory" percent={report.memory.percent} detail={memoryDetail}
          tooltip="Memory in use, without reclaimable caches" />
        <Gauge size="large" label="Swap" percent={report.memory.swapTotalBytes > 0 ? report.memory.swapPercent : null}
          detail={swapDetail} tooltip="Swap space in use" />
        <div className="load" title="Run-queue length averaged over 1, 5 and 15 minutes; compare with the thread count">
          <span className="load-label">Load</span>
          <span className="load-values">
            <span data-testid="load-1">{formatNumber(report.cpu.load1)}</span>
            <span>{formatNumber(report.cpu.load5)}</span>
            <span>{formatNumber(report.cpu.load15)}</span>
          </span>
          <span className="muted small">1 · 5 · 15 min, {report.cpu.perCore.length} threads</span>
        </div>
      </section>

      <section className="card pad" aria-label="Per-core CPU">
        <h2>CPU per core</h2>
        <div className="cores">
          {report.cpu.perCore.map((percent, core) => (
            <div key={core} className="core" title={`Core ${core}: ${formatPercent(percent)}`}>
              <div className="core-bar"><div className="core-fill" style={{ height: `${Math.min(100, percent)}%` }} /></div>
              <span className="small muted">{core}</span>
            </div>
          ))}
        </div>
      </section>

      <div className="chart-grid">
        <TimeChart title="CPU (live)" unit="percent" series={[{ label: 'CPU', color: PALETTE[0]! }]} data={cpu} testId="live-chart" />
        <TimeChart title="Memory (live)" unit="percent" series={[{ label: 'Memory', color: PALETTE[1]! }, { label: 'Swap', color: PALETTE[2]! }]} data={memory} testId="live-chart" />
        <TimeChart title="Load 1 min (live)" unit="number" series={[{ label: 'Load', color: PALETTE[3]! }]} data={load} testId="live-chart" />
        <TimeChart title="Network, all interfaces (live)" unit="bits" series={[{ label: 'Received', color: PALETTE[5]! }, { label: 'Sent', color: PALETTE[6]! }]} data={network} testId="live-chart" />
      </div>

      <section className="card pad" aria-label="Filesystems">
        <h2>Filesystems</h2>
        <table className="data-table">
          <thead><tr><th>Mount</th><th>Device</th><th>Used</th><th className="wide">Usage</th><th>Inodes</th></tr></thead>
          <tbody>
            {report.filesystems.map((fs) => (
              <tr key={fs.mount}>
                <td title={fs.type ?? ''}>{fs.mount}</td>
                <td className="muted">{fs.device}</td>
                <td className="num">{formatBytes(fs.usedBytes)} / {formatBytes(fs.totalBytes)}</td>
                <td><div className="cell-bar"><span>{formatPercent(fs.percent)}</span>
                  <UsageBar percent={fs.percent} tooltip={`${fs.mount}: ${formatBytes(fs.freeBytes)} free`} /></div></td>
                <td><div className="cell-bar"><span>{formatPercent(fs.inodesPercent)}</span>
                  <UsageBar percent={fs.inodesPercent} tooltip={`${fs.inodesUsed} of ${fs.inodesTotal} inodes used`} /></div></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <div className="two-columns">
        <section className="card pad" aria-label="Disk I/O">
          <h2>Disk I/O</h2>
          <table className="data-table">
            <thead><tr><th>Disk</th><th className="num">Read</th><th className="num">Write</th><th className="num">IOPS r/w</th></tr></thead>
            <tbody>
              {report.disks.map((disk) => (
                <tr key={disk.name}>
                  <td>{disk.name}</td>
                  <td className="num">{formatBytesPerSecond(disk.readBytesPerSecond)}</td>
                  <td className="num">{formatBytesPerSecond(disk.writeBytesPerSecond)}</td>
                  <td className="num">{Math.round(disk.readOpsPerSecond)} / {Math.round(disk.writeOpsPerSecond)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card pad" aria-label="Network">
          <h2>Network</h2>
          <table className="data-table">
            <thead><tr><th>Interface</th><th>Addresses</th><th className="num">In</th><th className="num">Out</th></tr></thead>
            <tbody>
              {report.interfaces.map((nic) => (
                <tr key={nic.name}>
                  <td><span className={`dot ${nic.up ? 'dot-online' : 'dot-offline'}`} title={nic.up ? 'Up' : 'Down'} /> {nic.name}
                    {nic.mac && <div className="muted small" title="MAC address">{nic.mac}</div>}</td>
                  <td className="small">{[...nic.ipv4, ...nic.ipv6].join(', ') || '—'}</td>
                  <td className="num" title={`${Math.round(nic.rxPacketsPerSecond)} packets/s, ${nic.rxErrors} errors`}>{formatBits(nic.rxBytesPerSecond)}</td>
                  <td className="num" title={`${Math.round(nic.txPacketsPerSecond)} packets/s, ${nic.txErrors} errors`}>{formatBits(nic.txBytesPerSecond)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
