import { useState, type FormEvent } from 'react';
import { ApiError, type HttpClient } from '../../lib/http';
import { navigate } from '../../lib/router';
import { resetPassword } from '../account/api';

/** The token of a reset link: after `#token=`, so it never reaches a server log or a Referer header. */
export function resetToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token === null || token === '' ? null : token;
}

/** Where an emailed reset link lands: choose a new password (the link works once). */
export function ResetPasswordPage({ http, hash }: { http: HttpClient; hash: string }) {
  const token = resetToken(hash);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (token === null) return;
    if (password.length < 8) return setError('The password needs at least 8 characters.');
    if (password !== repeat) return setError('The passwords differ.');
    setBusy(true);
    setError(null);
    try {
      setDone((await resetPassword(http, token, password)).username);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Resetting failed; try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="reset-title">
        <div className="brand brand-large"><span className="brand-mark" />Steward</div>
        <h1 id="reset-title">Choose a new password</h1>
        {token === null && <div className="form-error" role="alert">This link has no token; ask for a new one from the sign-in page.</div>}
        {done !== null ? (
          <>
            <p role="status" data-testid="reset-done">The password of {done} is changed. Sign in with it.</p>
            <button type="button" onClick={() => { window.location.hash = ''; navigate('/', true); }}>Sign in</button>
          </>
        ) : token !== null && (
          <>
            <label>New password<input name="password" type="password" autoComplete="new-password" required maxLength={200}
              value={password} onChange={(e) => setPassword(e.target.value)} autoFocus /></label>
            <label>Repeat it<input name="repeat" type="password" autoComplete="new-password" required maxLength={200}
              value={repeat} onChange={(e) => setRepeat(e.target.value)} /></label>
            {error !== null && <div className="form-error" role="alert" data-testid="reset-error">{error}</div>}
            <button type="submit" disabled={busy} data-testid="reset-submit">{busy ? 'Saving…' : 'Set password'}</button>
          </>
        )}
      </form>
    </main>
  );
}
