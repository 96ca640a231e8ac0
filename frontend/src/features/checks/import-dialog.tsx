// Importing checks from another tool: pick the format, a file or pasted text; a dry run shows what would be created
// and what is skipped (and why) before anything is; then Import creates them.
import { useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useAction } from '../../lib/use-action';
import { Modal } from '../../components/modal';
import { importChecks } from './api';
import { checkTarget, KIND_LABELS } from './check-format';
import type { ImportAnswer, ImportFormat } from './types';

const FORMATS: { format: ImportFormat; label: string; hint: string }[] = [
  { format: 'uptime-kuma', label: 'Uptime Kuma backup (JSON)', hint: 'Settings → Backup → Export in Uptime Kuma' },
  { format: 'gatus', label: 'Gatus configuration (YAML)', hint: 'The endpoints of config.yaml' },
];

/** The request a preview was made for: changing either makes it stale. */
interface Previewed {
  format: ImportFormat;
  content: string;
  answer: ImportAnswer;
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { http } = useApp();
  const [format, setFormat] = useState<ImportFormat>('uptime-kuma');
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<Previewed | null>(null);
  const [imported, setImported] = useState<ImportAnswer | null>(null);
  const action = useAction();
  const fresh = preview !== null && preview.format === format && preview.content === content;

  const readFile = (file: File | undefined) => {
    if (file === undefined) return;
    setFileName(file.name);
    file.text().then(setContent, () => action.fail(`Could not read ${file.name}`));
  };
  const dryRun = () => {
    if (content.trim() === '') {
      action.fail('content: choose a file or paste its text');
      return;
    }
    const sent = { format, content };
    action.run(() => importChecks(http, { ...sent, dryRun: true }), (answer) => setPreview({ ...sent, answer }));
  };
  const importNow = () => action.run(() => importChecks(http, { format, content, dryRun: false }), (answer) => {
    setImported(answer);
    onImported();
  });

  if (imported !== null) {
    return (
      <Modal title="Import checks" onClose={onClose} testId="import-dialog" wide>
        <p data-testid="import-done">Created {imported.created.length} check{imported.created.length === 1 ? '' : 's'}
          {imported.skipped.length > 0 ? `, skipped ${imported.skipped.length}` : ''}.</p>
        <ImportSummary answer={imported} dryRun={false} />
        <div className="dialog-actions"><button type="button" onClick={onClose} data-testid="import-close">Close</button></div>
      </Modal>
    );
  }
  return (
    <Modal title="Import checks" onClose={onClose} testId="import-dialog" wide>
      <div className="form">
        <fieldset className="choices">
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.format} className="check" title={f.hint}>
              <input type="radio" name="format" value={f.format} checked={format === f.format} onChange={() => setFormat(f.format)}
                data-testid={`import-format-${f.format}`} /> {f.label}
            </label>
          ))}
        </fieldset>
        <label>File
          <input type="file" accept={format === 'gatus' ? '.yaml,.yml,text/yaml' : '.json,application/json'}
            onChange={(e) => readFile(e.target.files?.[0])} data-testid="import-file" />
        </label>
        <label>…or paste its text
          <textarea rows={8} className="mono" value={content} onChange={(e) => { setContent(e.target.value); setFileName(null); }}
            data-testid="import-content" placeholder={format === 'gatus' ? 'endpoints:\n  - name: …' : '{"monitorList": […]}'} />
        </label>
        {fileName !== null && <span className="muted small">From {fileName}</span>}
        {fresh && <ImportSummary answer={preview.answer} dryRun />}
        {action.error !== null && <div className="form-error" role="alert" data-testid="import-error">{action.error}</div>}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>Cancel</button>
          <button type="button" className={fresh ? 'secondary' : undefined} onClick={dryRun} disabled={action.busy}
            data-testid="import-preview" title="Ask the node what it would create, creating nothing">
            {action.busy && !fresh ? 'Checking…' : 'Preview'}</button>
          <button type="button" onClick={importNow} disabled={action.busy || !fresh || preview.answer.created.length === 0}
            data-testid="import-confirm" title={fresh ? 'Create the checks listed' : 'Preview first'}>
            {action.busy && fresh ? 'Importing…' : fresh ? `Import ${preview.answer.created.length}` : 'Import'}</button>
        </div>
      </div>
    </Modal>
  );
}

/** What was (or would be) created, and what was skipped with the reason. */
function ImportSummary({ answer, dryRun }: { answer: ImportAnswer; dryRun: boolean }) {
  return (
    <div className="ck-import-summary" data-testid={dryRun ? 'import-preview-result' : 'import-result'}>
      <h3>{dryRun ? 'Would create' : 'Created'} ({answer.created.length})</h3>
      {answer.created.length === 0 ? <p className="muted">Nothing.</p> : (
        <ul className="ck-import-list">
          {answer.created.map((c, i) => (
            <li key={`${c.name}-${i}`} data-testid="import-created">
              <strong>{c.name}</strong> <span className="ck-kind">{KIND_LABELS[c.kind] ?? c.kind}</span>{' '}
              <span className="mono">{checkTarget(c)}</span>
            </li>
          ))}
        </ul>
      )}
      {answer.skipped.length > 0 && (
        <>
          <h3>Skipped ({answer.skipped.length})</h3>
          <ul className="ck-import-list">
            {answer.skipped.map((s, i) => (
              <li key={`${s.name}-${i}`} data-testid="import-skipped"><strong>{s.name}</strong>: <span className="muted">{s.reason}</span></li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
