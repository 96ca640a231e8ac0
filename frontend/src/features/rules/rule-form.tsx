import { useId, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { serverName } from '../../lib/format';
import type { AlertRule, AlertRuleInput, Comparison, ScopeKind, ServerSummary, Severity } from '../../lib/wire';
import { EditorForm } from '../../components/editor-form';
import { COMMON_METRICS, isoDurationToMinutes, minutesToIsoDuration, RECOVERS } from '../alerts/alert-format';
import { createAlertRule, updateAlertRule } from './api';
import './rules.css';

/** The form as typed: numbers stay text so a rejected save gives back exactly what was entered. */
export interface RuleDraft {
  name: string;
  metric: string;
  comparison: Comparison;
  threshold: string;
  /** Empty: the same as the threshold (no hysteresis). */
  recovery: string;
  forMinutes: string;
  severity: Severity;
  scopeKind: ScopeKind;
  scopeValue: string;
  enabled: boolean;
}

export function draftOf(rule: AlertRule | null): RuleDraft {
  if (rule === null) {
    return { name: '', metric: 'cpu.percent', comparison: 'above', threshold: '90', recovery: '', forMinutes: '5',
      severity: 'warning', scopeKind: 'global', scopeValue: '', enabled: true };
  }
  return {
    name: rule.name,
    metric: rule.metric,
    comparison: rule.comparison,
    threshold: String(rule.threshold),
    recovery: rule.recovery === rule.threshold ? '' : String(rule.recovery),
    forMinutes: String(isoDurationToMinutes(rule.for) ?? 0),
    severity: rule.severity,
    scopeKind: rule.scope.kind,
    scopeValue: rule.scope.value ?? '',
    enabled: rule.enabled,
  };
}

/** The draft as the API takes it, or what to fix first; the node checks the rest (and answers 400). */
export function inputOf(draft: RuleDraft): { input: AlertRuleInput } | { error: string } {
  const threshold = Number(draft.threshold.trim());
  if (draft.threshold.trim() === '' || !Number.isFinite(threshold)) return { error: 'Threshold must be a number.' };
  const minutes = draft.forMinutes.trim() === '' ? 0 : Number(draft.forMinutes.trim());
  if (!Number.isFinite(minutes) || minutes < 0) return { error: '"For" must be 0 or more minutes.' };
  const input: AlertRuleInput = {
    name: draft.name.trim(),
    metric: draft.metric.trim(),
    comparison: draft.comparison,
    threshold,
    for: minutesToIsoDuration(minutes),
    severity: draft.severity,
    scope: { kind: draft.scopeKind, value: draft.scopeKind === 'global' ? null : draft.scopeValue.trim() },
    enabled: draft.enabled,
  };
  if (draft.recovery.trim() !== '') {
    const recovery = Number(draft.recovery.trim());
    if (!Number.isFinite(recovery)) return { error: 'Recovery must be a number, or empty for the threshold.' };
    input.recovery = recovery;
  }
  if (draft.scopeKind !== 'global' && draft.scopeValue.trim() === '') return { error: `Enter the ${draft.scopeKind} the rule applies to.` };
  return { input };
}

/** A rule as the API takes it back, e.g. to switch it on or off. */
export function ruleInput(rule: AlertRule): AlertRuleInput {
  return { name: rule.name, metric: rule.metric, comparison: rule.comparison, threshold: rule.threshold, recovery: rule.recovery,
    for: rule.for, severity: rule.severity, scope: rule.scope, enabled: rule.enabled };
}

const SCOPE_HINTS: Record<ScopeKind, string> = {
  global: 'Every server',
  group: 'Servers of one group',
  tag: 'Servers with one tag',
  server: 'One server',
};

/** The label of the scope's value; a global rule has none. */
const SCOPE_VALUE_LABELS: Record<Exclude<ScopeKind, 'global'>, string> = {
  server: 'Server id',
  group: 'Group',
  tag: 'Tag',
};

/** Create (rule = null) or edit a rule. A rejected save keeps every field and shows the node's reason. */
export function RuleForm({ rule, servers, onSaved, onCancel }: {
  rule: AlertRule | null; servers: ServerSummary[]; onSaved: (rule: AlertRule) => void; onCancel: () => void;
}) {
  const { http } = useApp();
  const ids = useId();
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  /** The save request, or what to fix first. */
  const submit = () => {
    const checked = inputOf(draft);
    if ('error' in checked) return checked.error;
    return rule === null ? createAlertRule(http, checked.input) : updateAlertRule(http, rule.id, checked.input);
  };

  const scopeOptions = draft.scopeKind === 'server' ? servers.map((s) => ({ value: s.id, label: serverName(s) }))
    : draft.scopeKind === 'group' ? [...new Set(servers.map((s) => s.group).filter((g): g is string => !!g))].sort().map((g) => ({ value: g, label: g }))
      : draft.scopeKind === 'tag' ? [...new Set(servers.flatMap((s) => s.tags))].sort().map((t) => ({ value: t, label: t })) : [];

  return (
    <EditorForm what="rule" name={rule?.name ?? null} onSubmit={submit} onSaved={onSaved} onCancel={onCancel}
      saveTitle="Save the rule; servers use it from their next report">
      <div className="form-grid">
        <label>Name
          <input name="name" value={draft.name} maxLength={100} onChange={(e) => set('name', e.target.value)} required
            title="Shown in alerts and notifications" placeholder="CPU busy" />
        </label>
        <label>Metric
          <input name="metric" value={draft.metric} list={`${ids}-metrics`} onChange={(e) => set('metric', e.target.value)} required
            className="mono" title="A series name; without a {label} it covers every series of the metric (each filesystem...)" />
          <datalist id={`${ids}-metrics`}>
            {COMMON_METRICS.map((m) => <option key={m.name} value={m.name}>{m.hint}</option>)}
          </datalist>
        </label>
        <label>Fires when the value is
          <select name="comparison" value={draft.comparison} onChange={(e) => set('comparison', e.target.value as Comparison)}
            title="Above: too high is bad (CPU). Below: too low is bad (free space)">
            <option value="above">above</option>
            <option value="below">below</option>
          </select>
        </label>
        <label>Threshold
          <input name="threshold" type="number" step="any" value={draft.threshold} onChange={(e) => set('threshold', e.target.value)}
            required title="The value that starts the alert" />
        </label>
        <label>Recovery <span className="muted small">(optional)</span>
          <input name="recovery" type="number" step="any" value={draft.recovery} onChange={(e) => set('recovery', e.target.value)}
            placeholder="same as threshold"
            title={`The alert resolves only once the value is back ${RECOVERS[draft.comparison]} this (hysteresis, so it does not flap)`} />
        </label>
        <label>For <span className="muted small">(minutes)</span>
          <input name="forMinutes" type="number" min={0} max={1440} step="any" value={draft.forMinutes}
            onChange={(e) => set('forMinutes', e.target.value)} title="How long the condition must hold before it fires; 0 fires at once" />
        </label>
        <label>Severity
          <select name="severity" value={draft.severity} onChange={(e) => set('severity', e.target.value as Severity)}
            title="Channels choose which severities they send">
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </label>
        <label>Applies to
          <select name="scopeKind" value={draft.scopeKind} onChange={(e) => set('scopeKind', e.target.value as ScopeKind)}
            title="The most specific rule wins: server, then tag, then group, then all servers">
            {(Object.keys(SCOPE_HINTS) as ScopeKind[]).map((k) => <option key={k} value={k}>{SCOPE_HINTS[k]}</option>)}
          </select>
        </label>
        {draft.scopeKind !== 'global' && (
          <label>{SCOPE_VALUE_LABELS[draft.scopeKind]}
            <input name="scopeValue" value={draft.scopeValue} list={`${ids}-scope`} onChange={(e) => set('scopeValue', e.target.value)}
              required title={`The ${draft.scopeKind} this rule applies to`} />
            <datalist id={`${ids}-scope`}>
              {scopeOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </datalist>
          </label>
        )}
      </div>
      <label className="check" title="A disabled rule still wins over less specific ones: it switches the check off for its scope">
        <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
      </label>
    </EditorForm>
  );
}
