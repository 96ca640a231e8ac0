import { useCallback, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { serverName } from '../../lib/format';
import { errorMessage } from '../../lib/http';
import { removeById, upsertById, useLoad } from '../../lib/use-load';
import type { AlertRule } from '../../lib/wire';
import { ConfirmDialog } from '../../components/dialog';
import { EditDeleteButtons } from '../../components/edit-delete-buttons';
import { LoadStatus } from '../../components/feedback';
import { SeverityBadge } from '../../components/severity-badge';
import { Switch } from '../../components/switch';
import { describeScope, formatAlertValue, formatFor, RECOVERS } from '../alerts/alert-format';
import { AlertsHeader } from '../alerts/alerts-header';
import { listServers } from '../fleet/api';
import { deleteAlertRule, listAlertRules, updateAlertRule } from './api';
import { RuleForm, ruleInput } from './rule-form';

type Editing = { rule: AlertRule | null } | null;

/** The alert rules: list, switch on and off, create, edit, delete. */
export default function RulesPage() {
  const { http, me } = useApp();
  const canEdit = me.role === 'ADMIN';
  const rules = useLoad(useCallback(() => listAlertRules(http), [http]));
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // Best effort: they only name servers and fill the form's suggestions.
  const loadedServers = useLoad(useCallback(() => listServers(http), [http]));
  const servers = useMemo(() => loadedServers.data ?? [], [loadedServers.data]);
  const serverNames = useMemo(() => new Map(servers.map((s) => [s.id, serverName(s)])), [servers]);

  const saved = (rule: AlertRule) => {
    rules.setData((list) => upsertById(list, rule));
    setEditing(null);
  };

  const toggle = (rule: AlertRule) => {
    setToggling(rule.id);
    setMessage(null);
    updateAlertRule(http, rule.id, { ...ruleInput(rule), enabled: !rule.enabled })
      .then(saved, (failure: unknown) => setMessage(`Could not ${rule.enabled ? 'disable' : 'enable'} ${rule.name}: ${errorMessage(failure)}`))
      .finally(() => setToggling(null));
  };

  return (
    <main className="page">
      <AlertsHeader section="rules">
        {canEdit && editing === null && (
          <button type="button" onClick={() => setEditing({ rule: null })} data-testid="new-rule"
            title="Add a threshold on a metric">+ New rule</button>
        )}
      </AlertsHeader>
      <p className="muted">For each server and metric the most specific rule wins: server, then tag, then group, then all servers.
        Changes apply from each server's next report.</p>
      {editing !== null && (
        <RuleForm key={editing.rule?.id ?? 'new'} rule={editing.rule} servers={servers} onSaved={saved} onCancel={() => setEditing(null)} />
      )}
      {message !== null && <div className="form-error" role="alert">{message}</div>}
      <LoadStatus loaded={rules} failure="Could not load the alert rules" lines={5} />
      {rules.data !== null && rules.data.length === 0 && (
        <div className="empty card">
          <h2>No alert rules</h2>
          <p className="muted">Nothing is watched: no alert will fire until a rule exists.</p>
        </div>
      )}
      {rules.data !== null && rules.data.length > 0 && (
        <div className="card table-card">
          <table className="data-table" data-testid="rules-table">
            <thead>
              <tr><th>Name</th><th>Condition</th><th>For</th><th>Severity</th><th>Applies to</th><th>Enabled</th>
                {canEdit && <th><span className="sr-only">Actions</span></th>}</tr>
            </thead>
            <tbody>
              {rules.data.map((rule) => (
                <tr key={rule.id} data-testid="rule-row" className={rule.enabled ? '' : 'is-disabled'}>
                  <td>{rule.name}</td>
                  <td>
                    <span className="mono">{rule.condition}</span>
                    {rule.recovery !== rule.threshold && (
                      <div className="muted small" title="Resolves only once the value is back past this (hysteresis)">
                        recovers {RECOVERS[rule.comparison]} {formatAlertValue(rule.metric, rule.recovery)}</div>
                    )}
                  </td>
                  <td title={`ISO duration ${rule.for}`}>{formatFor(rule.for)}</td>
                  <td><SeverityBadge severity={rule.severity} /></td>
                  <td>{describeScope(rule.scope, serverNames)}</td>
                  <td>
                    <Switch checked={rule.enabled} disabled={!canEdit || toggling === rule.id} onChange={() => toggle(rule)}
                      testId="rule-enabled" label={`${rule.name} enabled`} title={canEdit
                        ? (rule.enabled ? 'Enabled: click to switch this check off for its scope' : 'Disabled: click to enable')
                        : (rule.enabled ? 'Enabled' : 'Disabled (switches the check off for its scope)')} />
                  </td>
                  {canEdit && (
                    <td className="row-actions">
                      <EditDeleteButtons name={rule.name} what="rule" onEdit={() => setEditing({ rule })} onDelete={() => setDeleting(rule)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting !== null && (
        <ConfirmDialog title={`Delete the rule ${deleting.name}?`} confirmLabel="Delete rule"
          message={'Its firing alerts resolve ("rule no longer applies") and no server checks it any more. This cannot be undone.'}
          onConfirm={() => deleteAlertRule(http, deleting.id).then(() => {
            rules.setData((list) => removeById(list, deleting.id));
            if (editing?.rule?.id === deleting.id) setEditing(null);
          })}
          onClose={() => setDeleting(null)} />
      )}
    </main>
  );
}
