// Create or edit a check, in a dialog: the kind and its fields, timing, vantages, certificate warnings, group. A
// problem (the form's own check or the node's 400) shows under the field it names and below the form; every field
// keeps what was typed.
import { useCallback, useId, useMemo, useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import { Modal } from '../../components/modal';
import { listServers } from '../fleet/api';
import { createCheck, updateCheck } from './api';
import { checkDefinitionOf, checkDraftOf, fieldOfProblem, type CheckDraft } from './check-draft';
import { KIND_LABELS, watchesCertificate } from './check-format';
import { FormField, type Problem } from './form-field';
import { KindFields } from './kind-fields';
import type { Check, CheckKind } from './types';
import { VantageFields } from './vantage-fields';

const KIND_HINTS: Record<CheckKind, string> = {
  http: 'Fetches a URL: status, keyword, certificate',
  tcp: 'Opens a TCP connection to host:port',
  tls: 'Completes a TLS handshake and watches the certificate',
  dns: 'Resolves a name and compares the answer',
};

export function CheckForm({ check, groups, onSaved, onClose }: {
  check: Check | null; groups: string[]; onSaved: (check: Check) => void; onClose: () => void;
}) {
  const { http } = useApp();
  const ids = useId();
  const [draft, setDraft] = useState<CheckDraft>(() => checkDraftOf(check));
  const set = useCallback(<K extends keyof CheckDraft>(key: K, value: CheckDraft[K]) => setDraft((d) => ({ ...d, [key]: value })), []);
  const save = useAction();
  // Best effort: only the vantage choices and suggestions need them.
  const loadedServers = useLoad(useCallback(() => listServers(http), [http]));
  const servers = useMemo(() => loadedServers.data ?? [], [loadedServers.data]);
  const problem: Problem = { field: fieldOfProblem(save.error), message: save.error };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkDefinitionOf(draft);
    if ('error' in checked) {
      save.fail(checked.error);
      return;
    }
    save.run(() => (check === null ? createCheck(http, checked.definition) : updateCheck(http, check.id, checked.definition)), onSaved);
  };
  const certificate = watchesCertificate({ kind: draft.kind, url: draft.url.trim() });

  return (
    <Modal title={check === null ? 'New check' : `Edit ${check.name}`} onClose={onClose} testId="check-form-dialog" wide>
      <form className="form ck-form" onSubmit={submit} noValidate data-testid="check-form">
        <div className="form-grid">
          <FormField label="Name" field="name" problem={problem}>
            <input name="name" value={draft.name} maxLength={100} onChange={(e) => set('name', e.target.value)} required
              placeholder="Homepage" data-testid="check-form-name" />
          </FormField>
          <FormField label="Kind" field="kind" problem={problem} hint={KIND_HINTS[draft.kind]}>
            <select name="kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as CheckKind)} data-testid="check-form-kind">
              {(Object.keys(KIND_LABELS) as CheckKind[]).map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
            </select>
          </FormField>
          <FormField label="Group" field="group" problem={problem} hint="Optional: for the status page and alert routing">
            <input name="group" value={draft.group} list={`${ids}-groups`} onChange={(e) => set('group', e.target.value)}
              data-testid="check-form-group" />
          </FormField>
          <datalist id={`${ids}-groups`}>{groups.map((g) => <option key={g} value={g} />)}</datalist>
        </div>
        <KindFields draft={draft} set={set} problem={problem} />
        <div className="form-grid">
          <FormField label="Interval (seconds)" field="interval" problem={problem} hint="10 to 3600">
            <input name="interval" type="number" min={10} max={3600} value={draft.intervalSeconds}
              onChange={(e) => set('intervalSeconds', e.target.value)} data-testid="check-form-interval" />
          </FormField>
          <FormField label="Timeout (seconds)" field="timeout" problem={problem} hint="Less than half the interval">
            <input name="timeout" type="number" min={1} value={draft.timeoutSeconds}
              onChange={(e) => set('timeoutSeconds', e.target.value)} data-testid="check-form-timeout" />
          </FormField>
          <FormField label="Retries" field="retries" problem={problem} hint="Failures in a row before a vantage says down">
            <input name="retries" type="number" min={0} max={10} value={draft.retries}
              onChange={(e) => set('retries', e.target.value)} data-testid="check-form-retries" />
          </FormField>
          {certificate && (
            <FormField label="Warn days before expiry" field="warnDays" problem={problem} hint="Comma list, e.g. 30, 14, 7">
              <input name="warnDays" value={draft.warnDays} onChange={(e) => set('warnDays', e.target.value)} data-testid="check-form-warn-days" />
            </FormField>
          )}
        </div>
        <VantageFields draft={draft} set={set} servers={servers} problem={problem} />
        {save.error !== null && <div className="form-error" role="alert" data-testid="check-form-error">{save.error}</div>}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose} title="Close without saving">Cancel</button>
          <button type="submit" disabled={save.busy} data-testid="check-form-save"
            title={check === null ? 'Create the check; the vantages start running it' : 'Save; the vantages use it from their next run'}>
            {save.busy ? 'Saving…' : check === null ? 'Create check' : 'Save check'}</button>
        </div>
      </form>
    </Modal>
  );
}
