// Which agents run the check: every server, chosen servers, a group's or a tag's servers, or the node itself.
import { useId } from 'react';
import { serverName } from '../../lib/format';
import type { ServerSummary } from '../../lib/wire';
import type { CheckDraft } from './check-draft';
import type { Problem } from './form-field';
import type { VantageKind } from './types';

type Set = <K extends keyof CheckDraft>(key: K, value: CheckDraft[K]) => void;

const KINDS: { kind: VantageKind; label: string; hint: string }[] = [
  { kind: 'all', label: 'All servers', hint: 'Every agent runs it; a quorum of them decides' },
  { kind: 'servers', label: 'Chosen servers', hint: 'Only the servers ticked below' },
  { kind: 'group', label: 'A group', hint: 'The servers of one group' },
  { kind: 'tag', label: 'A tag', hint: 'The servers with one tag' },
  { kind: 'local', label: 'The node itself', hint: 'Run from the Steward node, not from agents' },
];

export function VantageFields({ draft, set, servers, problem }: {
  draft: CheckDraft; set: Set; servers: ServerSummary[]; problem: Problem;
}) {
  const ids = useId();
  const invalid = problem.field === 'vantages' && problem.message !== null;
  const toggle = (id: string, on: boolean) =>
    set('vantageServers', on ? [...draft.vantageServers.filter((s) => s !== id), id] : draft.vantageServers.filter((s) => s !== id));
  const suggestions = draft.vantageKind === 'group'
    ? [...new Set(servers.map((s) => s.group).filter((g): g is string => !!g))].sort()
    : [...new Set(servers.flatMap((s) => s.tags))].sort();
  // Servers already chosen that the list does not have (deleted since) stay visible so they can be unticked.
  const unknown = draft.vantageServers.filter((id) => !servers.some((s) => s.id === id));
  return (
    <fieldset className={`ck-fieldset${invalid ? ' is-invalid' : ''}`} data-testid="check-form-vantages"
      aria-describedby={invalid ? `${ids}-error` : undefined}>
      <legend>Vantages</legend>
      <div className="choices" role="radiogroup" aria-label="Vantages">
        {KINDS.map((k) => (
          <label key={k.kind} className="check" title={k.hint}>
            <input type="radio" name="vantageKind" value={k.kind} checked={draft.vantageKind === k.kind}
              onChange={() => set('vantageKind', k.kind)} data-testid={`check-form-vantages-${k.kind}`} /> {k.label}
          </label>
        ))}
      </div>
      {draft.vantageKind === 'servers' && (
        <div className="ck-server-choices" role="group" aria-label="Servers that run the check">
          {servers.length === 0 && unknown.length === 0 && <span className="muted">No server is enrolled yet.</span>}
          {servers.map((s) => (
            <label key={s.id} className="check">
              <input type="checkbox" checked={draft.vantageServers.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)}
                data-testid={`check-form-vantage-server-${s.id}`} /> {serverName(s)} <span className="muted small">{s.id}</span>
            </label>
          ))}
          {unknown.map((id) => (
            <label key={id} className="check">
              <input type="checkbox" checked onChange={() => toggle(id, false)} /> {id} <span className="muted small">(unknown server)</span>
            </label>
          ))}
        </div>
      )}
      {(draft.vantageKind === 'group' || draft.vantageKind === 'tag') && (
        <label>{draft.vantageKind === 'group' ? 'Group' : 'Tag'}
          <input name="vantageValue" value={draft.vantageValue} list={`${ids}-values`} onChange={(e) => set('vantageValue', e.target.value)}
            data-testid="check-form-vantage-value" aria-invalid={invalid || undefined} />
          <datalist id={`${ids}-values`}>{suggestions.map((v) => <option key={v} value={v} />)}</datalist>
        </label>
      )}
      {invalid && <span id={`${ids}-error`} className="ck-field-error" data-testid="check-form-vantages-error">{problem.message}</span>}
    </fieldset>
  );
}
