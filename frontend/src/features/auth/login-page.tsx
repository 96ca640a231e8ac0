import { useState, type FormEvent } from 'react';
import { ApiError, type HttpClient } from '../../lib/http';
import type { Me } from '../../lib/wire';
import { forgotPassword } from '../account/api';
import { login } from './api';

/** Username, password, "remember me"; a clear message for wrong credentials and for the login throttle. */
export function LoginPage({ http, onLoggedIn }: { http: HttpClient; onLoggedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState<'closed' | 'open' | { sent: string }>('closed');

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

  const askForLink = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setForgot({ sent: (await forgotPassword(http, username.trim())).message });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Asking for a link failed; try again.');
    } finally {
      setBusy(false);
    }
  };

  if (forgot !== 'closed') {
    return (
      <main className="login">
        <form className="card login-card" onSubmit={askForLink} aria-labelledby="forgot-title">
          <div className="brand brand-large"><span className="brand-mark" />Steward</div>
          <h1 id="forgot-title">Reset your password</h1>
          {typeof forgot === 'object' ? (
            <p role="status" data-testid="forgot-sent">{forgot.sent}</p>
          ) : (
            <>
              <label>Username
                <input name="username" autoComplete="username" required maxLength={64} value={username}
                  onChange={(e) => setUsername(e.target.value)} autoFocus />
              </label>
              {error !== null && <div className="form-error" role="alert">{error}</div>}
              <button type="submit" disabled={busy} data-testid="send-reset-link">{busy ? 'Sending…' : 'Email me a reset link'}</button>
            </>
          )}
          <p className="muted">No email? An admin can reset your password, or whoever runs the node can:
            <code> java -jar steward-node.jar reset-password USER</code></p>
          <button type="button" className="link-button" onClick={() => { setForgot('closed'); setError(null); }}>Back to sign in</button>
        </form>
      </main>
    );
  }

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
        <button type="button" className="link-button" onClick={() => { setForgot('open'); setError(null); }}
          data-testid="forgot-password">Forgot password?</button>
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
