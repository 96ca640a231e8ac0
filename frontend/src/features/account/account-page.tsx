import { useCallback, useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import type { ApiToken, ApiTokenCreated } from '../../lib/wire';
import { CopyButton, LoadStatus } from '../../components/feedback';
import { changePassword, createToken, listTokens, revokeToken } from './api';
import './account.css';

/** One's own account: change the password, and API tokens for scripts. */
export default function AccountPage() {
  const { me } = useApp();
  return (
    <main className="page">
      <h1>Your account</h1>
      <p className="muted">Signed in as <strong>{me.username}</strong> ({me.role.toLowerCase()}).</p>
      <PasswordForm />
      <Tokens />
    </main>
  );
}

export function PasswordForm() {
  const { http } = useApp();
  const action = useAction();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    action.send(next.length < 8 ? 'The new password needs at least 8 characters.'
      : next !== repeat ? 'The new passwords differ.'
        : changePassword(http, current, next), () => {
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    });
  };
  return (
    <section>
      <h2>Change password</h2>
      <form className="card inline-form" onSubmit={submit} data-testid="password-form">
        <label>Current password<input name="current" type="password" autoComplete="current-password" required value={current}
          onChange={(e) => setCurrent(e.target.value)} /></label>
        <label>New password<input name="new" type="password" autoComplete="new-password" required maxLength={200} value={next}
          onChange={(e) => setNext(e.target.value)} /></label>
        <label>Repeat new password<input name="repeat" type="password" autoComplete="new-password" required value={repeat}
          onChange={(e) => setRepeat(e.target.value)} /></label>
        <button type="submit" disabled={action.busy} data-testid="change-password">Change password</button>
        {action.error !== null && <div className="form-error" role="alert" data-testid="password-error">{action.error}</div>}
        {done && <div role="status" data-testid="password-changed">Password changed. Your other sessions have ended.</div>}
      </form>
    </section>
  );
}

function Tokens() {
  const { http, me } = useApp();
  const tokens = useLoad(useCallback(() => listTokens(http), [http]));
  const action = useAction();
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read-only');
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    action.send(name.trim() === '' ? 'Name the token (what uses it).' : createToken(http, { name: name.trim(), scope }), (answer) => {
      setCreated(answer);
      setName('');
      tokens.setData((list) => [answer.token, ...(list ?? [])]);
    });
  };
  const revoke = (token: ApiToken) => {
    if (!window.confirm(`Revoke "${token.name}"? Scripts using it are refused from now on.`)) return;
    action.run(() => revokeToken(http, token.id), () => tokens.setData((list) => (list ?? []).filter((known) => known.id !== token.id)));
  };
  return (
    <section>
      <h2>API tokens</h2>
      <p className="muted">For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A read-only token can read what a viewer can.</p>
      <form className="card inline-form" onSubmit={submit} data-testid="token-form">
        <label>Name<input name="token-name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="grafana, backup script…" /></label>
        <label>Scope
          <select name="scope" value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="read-only">read-only</option>
            {me.role === 'ADMIN' && <option value="admin">admin</option>}
          </select>
        </label>
        <button type="submit" disabled={action.busy} data-testid="create-token">Create token</button>
        {action.error !== null && <div className="form-error" role="alert" data-testid="token-error">{action.error}</div>}
      </form>
      {created !== null && (
        <div className="card secret-once" role="status" data-testid="token-secret">
          <p>Copy the token for <strong>{created.token.name}</strong> now; it is not shown again.</p>
          <code>{created.secret}</code> <CopyButton text={created.secret} />
          <button type="button" className="secondary" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <LoadStatus loaded={tokens} failure="Could not load the API tokens" lines={2} />
      {tokens.data !== null && tokens.data.length === 0 && <p className="muted">No API tokens.</p>}
      {tokens.data !== null && tokens.data.length > 0 && (
        <div className="card table-card">
          <table className="data-table" data-testid="tokens-table">
            <thead><tr><th>Name</th>{me.role === 'ADMIN' && <th>User</th>}<th>Scope</th><th>Created</th><th>Last used</th><th /></tr></thead>
            <tbody>
              {tokens.data.map((token) => (
                <tr key={token.id} data-testid={`token-${token.id}`}>
                  <td>{token.name}</td>
                  {me.role === 'ADMIN' && <td>{token.username}</td>}
                  <td>{token.scope}</td>
                  <td>{formatDateTime(token.createdAt)}</td>
                  <td>{token.lastUsedAt === null ? 'never' : `${formatDateTime(token.lastUsedAt)}${token.lastUsedFrom === null ? '' : ` from ${token.lastUsedFrom}`}`}</td>
                  <td className="actions">
                    <button type="button" className="danger" disabled={action.busy} onClick={() => revoke(token)}
                      data-testid={`revoke-${token.id}`}>Revoke</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
