import { useCallback, useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { formatBytes, formatCount, formatDateTime } from '../../lib/format';
import { ApiError, errorMessage } from '../../lib/http';
import { useLoad } from '../../lib/use-load';
import type { PurgeBody, Setting, SettingsBody } from '../../lib/wire';
import { LoadStatus } from '../../components/feedback';
import { loadSettings, purge, storageUsage, updateSettings } from './api';
import { requestValue, settingLabel, sourceText, tierLabel } from './settings-format';
import './settings.css';

/** Settings (admin): runtime settings with where each comes from, storage per metric tier, and data purge. */
export default function SettingsPage() {
  const { http } = useApp();
  const settings = useLoad(useCallback(() => loadSettings(http), [http]));
  const storage = useLoad(useCallback(() => storageUsage(http), [http]));
  return (
    <main className="page settings-page">
      <h1>Settings</h1>
      <p className="muted">Stored in the database and applied on every node at once, without a restart. Every change is
        in the audit log. A key reset here takes the config file's value again.</p>
      <LoadStatus loaded={settings} failure="Could not load the settings" lines={6} />
      {settings.data !== null && <SettingsForm loaded={settings.data} onSaved={settings.accept} />}
      <section>
        <h2>Storage per tier</h2>
        <LoadStatus loaded={storage} failure="Could not measure the storage" lines={3} />
        {storage.data !== null && (
          <div className="card table-card">
            <table className="data-table" data-testid="storage-table">
              <thead><tr><th>Tier</th><th>Table</th><th className="num">Rows</th><th className="num">Size</th></tr></thead>
              <tbody>{storage.data.tiers.map((tier) => (
                <tr key={tier.tier} data-testid={`storage-${tier.tier}`}>
                  <td>{tierLabel(tier.tier)}</td><td><code>{tier.table}</code></td>
                  <td className="num">{formatCount(tier.rows)}</td><td className="num">{formatBytes(tier.bytes)}</td>
                </tr>))}</tbody>
              <tfoot><tr><td colSpan={3}>Total</td><td className="num" data-testid="storage-total">{formatBytes(storage.data.totalBytes)}</td></tr></tfoot>
            </table>
            <p className="muted small" data-testid="storage-method">Approximate. {storage.data.method}</p>
          </div>
        )}
      </section>
      <PurgeForm onPurged={storage.reload} />
    </main>
  );
}

function SettingsForm({ loaded, onSaved }: { loaded: SettingsBody; onSaved: (next: SettingsBody) => void }) {
  const { http } = useApp();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const draftOf = (setting: Setting) => drafts[setting.key] ?? setting.value;
  const changed = loaded.settings.filter((setting) => draftOf(setting).trim() !== setting.value);

  const send = (changes: Record<string, string | number | null>) => {
    setBusy(true);
    setFailure(null);
    setSaved(false);
    updateSettings(http, changes).then((next) => {
      setDrafts({});
      setErrors({});
      setSaved(true);
      onSaved(next);
    }, (error: unknown) => {
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        setErrors(error.fields);
        setFailure('Nothing was saved: correct the fields marked below.');
      } else {
        setFailure(errorMessage(error));
      }
    }).finally(() => setBusy(false));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed.length === 0) return;
    send(Object.fromEntries(changed.map((setting) => [setting.key, requestValue(setting, draftOf(setting))])));
  };

  return (
    <form className="card settings-form" onSubmit={submit} noValidate data-testid="settings-form">
      {loaded.settings.map((setting) => (
        <div key={setting.key} className="settings-field" data-testid={`setting-${setting.key}`}>
          <label htmlFor={`setting-input-${setting.key}`}>{settingLabel(setting.key)}</label>
          <div className="settings-input">
            <input id={`setting-input-${setting.key}`} value={draftOf(setting)} disabled={busy}
              aria-invalid={errors[setting.key] !== undefined}
              placeholder={setting.kind === 'url' ? 'derived from the bind address and port' : undefined}
              onChange={(event) => setDrafts((current) => ({ ...current, [setting.key]: event.target.value }))} />
            {setting.source === 'database' && (
              <button type="button" className="link-button" disabled={busy} data-testid={`reset-${setting.key}`}
                onClick={() => send({ [setting.key]: null })}>Reset to config</button>
            )}
          </div>
          {errors[setting.key] !== undefined && (
            <p className="field-error" role="alert" data-testid={`error-${setting.key}`}>{errors[setting.key]}</p>
          )}
          <p className="muted small">
            {setting.description}{setting.min !== null && ` Allowed: ${setting.min} to ${setting.max}.`}
          </p>
          <p className={`settings-source source-${setting.source}`} data-testid={`source-${setting.key}`}>{sourceText(setting)}</p>
        </div>
      ))}
      {Object.entries(errors).filter(([key]) => !loaded.settings.some((setting) => setting.key === key)).map(([key, message]) => (
        <p key={key} className="field-error" role="alert">{key}: {message}</p>
      ))}
      {failure !== null && <p className="form-error" role="alert" data-testid="settings-failure">{failure}</p>}
      {saved && <p className="form-ok" role="status" data-testid="settings-saved">Saved; every node applies it now.</p>}
      <button type="submit" disabled={busy || changed.length === 0} data-testid="settings-save">
        {busy ? 'Saving…' : changed.length === 0 ? 'Save' : `Save ${changed.length} change${changed.length === 1 ? '' : 's'}`}
      </button>
    </form>
  );
}

/** "Purge data older than…": a preview of what goes per tier, then a confirmation that deletes exactly that age. */
function PurgeForm({ onPurged }: { onPurged: () => void }) {
  const { http } = useApp();
  const [olderThan, setOlderThan] = useState('90d');
  const [preview, setPreview] = useState<PurgeBody | null>(null);
  const [done, setDone] = useState<PurgeBody | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (dryRun: boolean) => {
    setBusy(true);
    setFailure(null);
    // The confirmation deletes up to the instant the preview counted, not an age measured again from a later now.
    const cutoff = dryRun || preview === null ? olderThan : preview.olderThan;
    purge(http, { olderThan: cutoff, dryRun }).then((answer) => {
      if (dryRun) {
        setPreview(answer);
        setDone(null);
      } else {
        setPreview(null);
        setDone(answer);
        onPurged();
      }
    }, (error: unknown) => setFailure(errorMessage(error))).finally(() => setBusy(false));
  };

  return (
    <section>
      <h2>Purge old data</h2>
      <form className="card purge-form" onSubmit={(event) => { event.preventDefault(); run(true); }} data-testid="purge-form">
        <label htmlFor="purge-older-than">Delete metric data older than</label>
        <div className="settings-input">
          <input id="purge-older-than" value={olderThan} disabled={busy} data-testid="purge-older-than"
            onChange={(event) => { setOlderThan(event.target.value); setPreview(null); }} />
          <button type="submit" disabled={busy || olderThan.trim() === ''} data-testid="purge-preview">Preview</button>
        </div>
        <p className="muted small">An age (30d, 12h) or an instant (2026-01-01T00:00:00Z). Raw reports not yet rolled up are kept.</p>
        {failure !== null && <p className="form-error" role="alert" data-testid="purge-failure">{failure}</p>}
        {preview !== null && (
          <div className="purge-preview" data-testid="purge-preview-result">
            <p>Older than {formatDateTime(preview.olderThan)}:</p>
            <ul>{preview.tiers.map((tier) => <li key={tier.tier}>{tierLabel(tier.tier)}: {formatCount(tier.rows)} rows</li>)}</ul>
            {preview.totalRows === 0
              ? <p className="muted">Nothing to delete.</p>
              : <button type="button" className="danger" disabled={busy} data-testid="purge-confirm" onClick={() => run(false)}>
                Delete {formatCount(preview.totalRows)} rows</button>}
          </div>
        )}
        {done !== null && (
          <p className="form-ok" role="status" data-testid="purge-done">Deleted {formatCount(done.totalRows)} rows older than {formatDateTime(done.olderThan)}.</p>
        )}
      </form>
    </section>
  );
}
