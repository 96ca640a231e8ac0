import { memo } from 'react';
import { formatBytes, formatPercent, known } from '../../lib/format';
import { onLinkClick, servicePath } from '../../lib/router';
import type { Service } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { LoadStatus } from '../../components/feedback';
import { isBusy, useServiceControls, type ActionRequest } from './service-hooks';
import { AutoRestartSwitch, Recovery, ServiceControls, ServiceNotices, Since, StatusLabel } from './service-parts';
import { KIND_TOOLTIPS } from './services';

/** The services the agent reports for this server, live, with auto-restart and start/stop/restart for admins. */
export function ServicesTab({ serverId, serverName }: { serverId: string; serverName: string }) {
  const controls = useServiceControls(serverId, serverName);
  const { canAct, services, actions, autoRestart } = controls;
  const list = services.data;

  if (list === null) return <LoadStatus loaded={services} failure="Could not load the services" lines={5} />;
  return (
    <section className="card pad services-tab">
      <div className="toolbar">
        <span className="muted small" title="The agent checks its services on every report">
          {list.checkedAt === null ? 'Never checked' : <>Checked <Ago iso={list.checkedAt} /></>}
        </span>
        <button type="button" className="secondary" onClick={services.reload} disabled={services.loading}
          title="Load the services again (they also update live)">{services.loading ? 'Refreshing…' : 'Refresh'}</button>
      </div>
      <ServiceNotices controls={controls} reloadFailure="Could not reload the services" />
      {list.services.length === 0 ? (
        <div className="empty" data-testid="services-empty">
          <h2>No services reported — configure services in the agent (see README)</h2>
          <p className="muted">The agent reports the services it is told to watch, and the ones it discovers, on every check.</p>
        </div>
      ) : (
        <div className="table-card">
          <table className="data-table services-table" data-testid="services-table">
            <thead>
              <tr>
                <th>Service</th><th>Status</th><th>Kind</th><th>Since</th>
                <th className="num" title="Restarts counted by the service manager (systemd NRestarts)">Restarts</th>
                <th className="num">Memory</th><th className="num">CPU</th>
                <th title="Steward restarts the service when it goes down">Auto-restart</th><th>Recovery</th>
                <th><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.services.map((service) => (
                <ServiceRow key={service.name} serverId={serverId} serverName={serverName} service={service} canAct={canAct}
                  busy={isBusy(actions.notes, service.name)} saving={autoRestart.saving === service.name}
                  onAsk={actions.ask} onToggle={autoRestart.toggle} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {actions.dialog}
    </section>
  );
}

interface RowProps {
  serverId: string;
  serverName: string;
  service: Service;
  canAct: boolean;
  busy: boolean;
  saving: boolean;
  onAsk: (request: ActionRequest) => void;
  onToggle: (service: Service) => void;
}

// Memoised: an action note or a switch being saved re-renders the tab, not every row; the ticking cells (since,
// recovery) re-render on their own clock.
const ServiceRow = memo(function ServiceRow({ serverId, serverName, service, canAct, busy, saving, onAsk, onToggle }: RowProps) {
  return (
    <tr data-testid="service-row" data-service={service.name} data-status={service.status}>
      <td>
        <a href={servicePath(serverId, service.name)} onClick={onLinkClick} title={`Open ${service.name}: properties and logs`}>{service.name}</a>
        {service.description && <div className="muted small">{service.description}</div>}
      </td>
      <td><StatusLabel service={service} /></td>
      <td className="muted" title={known(KIND_TOOLTIPS, service.kind) ?? service.kind}>{service.kind}</td>
      <td><Since status={service.status} since={service.since} /></td>
      <td className="num">{service.restarts ?? '—'}</td>
      <td className="num">{formatBytes(service.memoryBytes)}</td>
      <td className="num">{formatPercent(service.cpuPercent)}</td>
      <td><AutoRestartSwitch service={service} canAct={canAct} saving={saving} onToggle={onToggle} /></td>
      <td><Recovery recovery={service.recovery} /></td>
      <td className="row-actions">
        <ServiceControls service={service} serverName={serverName} canAct={canAct} busy={busy} onAsk={onAsk} />
      </td>
    </tr>
  );
});
