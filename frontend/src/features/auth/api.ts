// Sessions: signing in and out, and who is signed in.
import type { HttpClient } from '../../lib/http';
import type { LoggedIn, LoggedOut, LoginRequest, Me } from '../../lib/wire';

/** Answers who signed in, and when the session ends. */
export function login(http: HttpClient, username: string, password: string, remember: boolean): Promise<LoggedIn> {
  return http.post('/api/auth/login', { username, password, remember } satisfies LoginRequest);
}

export function logout(http: HttpClient): Promise<LoggedOut> {
  return http.post('/api/auth/logout');
}

/** The signed-in user; an ApiError 401 when there is no session. */
export function currentUser(http: HttpClient): Promise<Me> {
  return http.get('/api/auth/me');
}
