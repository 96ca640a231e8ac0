import { useState, type FormEvent } from 'react';
import { ApiError, type HttpClient } from '../../lib/http';
import type { Me } from '../../lib/wire';
import { login } from './api';

/** Username, password, "remember me"; a clear message for wrong credentials and for the login throttle. */
export function LoginPage({ http, onLoggedIn }: { http: HttpClient; onLoggedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await login(http, username.trim(), password, remember));
    } catch (failure) {
      setError(describe(failure));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand brand-large"><span className="brand-mark" />Steward</div>
        <h1 id="login-title">Sign in</h1>
        <label>Username
          <input name="username" autoComplete="username" required maxLength={64} value={username}
            onChange={(e) => setUsername(e.target.value)} autoFocus title="Your Steward username" />
        </label>
        <label>Password
          <input name="password" type="password" autoComplete="current-password" required maxLength={200}
            value={password} onChange={(e) => setPassword(e.target.value)} title="Your password" />
        </label>
        <label className="check" title="Stay signed in on this browser for 7 days">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember me
        </label>
        {error !== null && <div className="form-error" role="alert" data-testid="login-error">{error}</div>}
        <button type="submit" disabled={busy} title="Sign in">{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

function describe(failure: unknown): string {
  if (failure instanceof ApiError) {
    if (failure.status === 401) return 'Wrong username or password.';
    if (failure.status === 429) {
      const wait = failure.retryAfter;
      return `Too many failed attempts. Try again in ${wait !== null ? `${Math.ceil(wait / 60)} min` : 'a few minutes'}.`;
    }
    return failure.message;
  }
  return 'Signing in failed; try again.';
}
