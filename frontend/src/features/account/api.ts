// Accounts: users (admin), one's own password, API tokens, password reset links, the audit log.
import { apiPath, type HttpClient } from '../../lib/http';
import type {
  ApiToken, ApiTokenCreated, ApiTokenRequest, AuditEntry, Deleted, ForgotAccepted, PasswordChange, PasswordChanged,
  PasswordReset, User, UserPatch, UserRequest,
} from '../../lib/wire';

export function listUsers(http: HttpClient): Promise<User[]> {
  return http.get('/api/users');
}

export function createUser(http: HttpClient, user: UserRequest): Promise<User> {
  return http.post('/api/users', user);
}

/** Changes only what is not null: role, enabled state, email ("" clears it), or the password (an admin's reset). */
export function updateUser(http: HttpClient, username: string, change: Partial<UserPatch>): Promise<User> {
  const patch: UserPatch = { role: null, disabled: null, email: null, password: null, ...change };
  return http.patch(apiPath`/api/users/${username}`, patch);
}

export function deleteUser(http: HttpClient, username: string): Promise<Deleted> {
  return http.delete(apiPath`/api/users/${username}`);
}

export function auditLog(http: HttpClient, limit = 100): Promise<AuditEntry[]> {
  return http.get(`/api/audit?limit=${limit}`);
}

/** One's own password; the other sessions of the user end. A wrong current password is a 400 naming `current`. */
export function changePassword(http: HttpClient, current: string, next: string): Promise<PasswordChanged> {
  return http.post('/api/auth/password', { current, new: next } satisfies PasswordChange);
}

export function listTokens(http: HttpClient): Promise<ApiToken[]> {
  return http.get('/api/tokens');
}

/** The answer carries the secret: the only time it is shown. */
export function createToken(http: HttpClient, request: ApiTokenRequest): Promise<ApiTokenCreated> {
  return http.post('/api/tokens', request);
}

export function revokeToken(http: HttpClient, id: string): Promise<Deleted> {
  return http.delete(apiPath`/api/tokens/${id}`);
}

/** Asks for a reset link by email; the same answer whether or not the account exists. */
export function forgotPassword(http: HttpClient, username: string): Promise<ForgotAccepted> {
  return http.post('/api/auth/forgot', { username });
}

export function resetPassword(http: HttpClient, token: string, password: string): Promise<PasswordReset> {
  return http.post('/api/auth/reset', { token, password });
}
