import { useCallback, useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import type { Role, User } from '../../lib/wire';
import { LoadStatus } from '../../components/feedback';
import { auditLog, createUser, deleteUser, listUsers, updateUser } from './api';
import './account.css';

/** A readable random password for a reset, so an admin need not invent one. */
export function generatedPassword(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** Users (admin): create, change role, disable, reset a password, delete; and the audit log of those changes. */
export default function UsersPage() {
  const { http, me } = useApp();
  const users = useLoad(useCallback(() => listUsers(http), [http]));
  const audit = useLoad(useCallback(() => auditLog(http, 50), [http]));
  const action = useAction();
  const [resetFor, setResetFor] = useState<{ username: string; password: string } | null>(null);

  const changed = (user: User) => {
    users.setData((list) => (list ?? []).map((known) => (known.username === user.username ? user : known)));
    audit.reload();
  };
  const change = (user: User, patch: Parameters<typeof updateUser>[2]) =>
    action.run(() => updateUser(http, user.username, patch), changed);
  const remove = (user: User) => {
    if (!window.confirm(`Delete ${user.username}? Their sessions and API tokens end now.`)) return;
    action.run(() => deleteUser(http, user.username), () => {
      users.setData((list) => (list ?? []).filter((known) => known.username !== user.username));
      audit.reload();
    });
  };
  const reset = (user: User) => {
    const password = generatedPassword();
    action.run(() => updateUser(http, user.username, { password }), (answer) => {
      changed(answer);
      setResetFor({ username: user.username, password });
    });
  };

  return (
    <main className="page">
      <h1>Users</h1>
      <NewUserForm onCreated={(user) => { users.setData((list) => [...(list ?? []), user]); audit.reload(); }} />
      {action.error !== null && <div className="form-error" role="alert" data-testid="users-error">{action.error}</div>}
      {resetFor !== null && (
        <div className="card secret-once" role="status" data-testid="reset-password-shown">
          New password for <strong>{resetFor.username}</strong>: <code>{resetFor.password}</code>
          <p className="muted">Shown only now. Their sessions have ended; they should change it after logging in.</p>
          <button type="button" className="secondary" onClick={() => setResetFor(null)}>Done</button>
        </div>
      )}
      <section>
        <LoadStatus loaded={users} failure="Could not load the users" lines={3} />
        {users.data !== null && (
          <div className="card table-card">
            <table className="data-table" data-testid="users-table">
              <thead><tr><th>User</th><th>Email</th><th>Role</th><th>State</th><th>Password changed</th><th /></tr></thead>
              <tbody>
                {users.data.map((user) => {
                  const self = user.username === me.username;
                  return (
                    <tr key={user.username} data-testid={`user-${user.username}`}>
                      <td>{user.username}{self && <span className="muted"> (you)</span>}</td>
                      <td>{user.email ?? <span className="muted">—</span>}</td>
                      <td>
                        <select value={user.role} disabled={action.busy} aria-label={`Role of ${user.username}`}
                          onChange={(e) => change(user, { role: e.target.value.toLowerCase() })} data-testid={`role-${user.username}`}>
                          <option value="ADMIN">admin</option>
                          <option value="VIEWER">viewer</option>
                        </select>
                      </td>
                      <td>{user.disabled ? 'disabled' : 'active'}</td>
                      <td>{user.passwordChangedAt === null ? '—' : formatDateTime(user.passwordChangedAt)}</td>
                      <td className="actions">
                        {!self && (
                          <button type="button" className="secondary" disabled={action.busy} data-testid={`toggle-${user.username}`}
                            onClick={() => change(user, { disabled: !user.disabled })}
                            title={user.disabled ? 'Let this user log in again' : 'Stop this user logging in; their sessions end now'}>
                            {user.disabled ? 'Enable' : 'Disable'}
                          </button>
                        )}
                        <button type="button" className="secondary" disabled={action.busy} onClick={() => reset(user)}
                          data-testid={`reset-${user.username}`} title="Set a new generated password and end their sessions">Reset password</button>
                        {!self && (
                          <button type="button" className="danger" disabled={action.busy} onClick={() => remove(user)}
                            data-testid={`delete-${user.username}`} title="Delete this user">Delete</button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section>
        <h2>Audit log</h2>
        <LoadStatus loaded={audit} failure="Could not load the audit log" lines={2} />
        {audit.data !== null && (
          <ul className="audit-log" data-testid="audit-log">
            {audit.data.map((entry) => (
              <li key={entry.id}>
                <span className="muted">{formatDateTime(entry.at)}</span> <strong>{entry.actor}</strong> {entry.action}
                {entry.target !== null && <> <code>{entry.target}</code></>}{entry.detail !== null && <span className="muted"> — {entry.detail}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function NewUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const { http } = useApp();
  const action = useAction();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    action.send(password.length < 8 ? 'The password needs at least 8 characters.'
      : createUser(http, { username: username.trim(), password, role: role.toLowerCase(), email: email.trim() === '' ? null : email.trim() }),
    (user) => {
      onCreated(user);
      setUsername('');
      setPassword('');
      setEmail('');
    });
  };
  return (
    <form className="card inline-form" onSubmit={submit} data-testid="new-user-form">
      <label>Username<input name="username" required maxLength={64} value={username} onChange={(e) => setUsername(e.target.value)} /></label>
      <label>Password<input name="password" type="password" autoComplete="new-password" required maxLength={200} value={password}
        onChange={(e) => setPassword(e.target.value)} /></label>
      <label>Email (optional)<input name="email" type="email" maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)}
        title="Where a password reset link goes" /></label>
      <label>Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="VIEWER">viewer</option>
          <option value="ADMIN">admin</option>
        </select>
      </label>
      <button type="submit" disabled={action.busy} data-testid="create-user">Add user</button>
      {action.error !== null && <div className="form-error" role="alert" data-testid="new-user-error">{action.error}</div>}
    </form>
  );
}
