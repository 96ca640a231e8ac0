// A tiny history router: the app has a handful of routes, not worth a library's bytes.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'server'; id: string; tab: ServerTab }
  /** One service of a server: shown by the server page, under its Services tab. */
  | { page: 'service'; id: string; name: string }
  /** One backup job of a server: shown by the server page, under its Backups tab. */
  | { page: 'backup'; id: string; jobId: string }
  | { page: 'login' }
  | { page: 'alerts'; tab: AlertsTab }
  | { page: 'alert-rules' }
  | { page: 'channels' }
  | { page: 'users' }
  /** The cluster's members, what each hosts, and the failover history (admin). */
  | { page: 'cluster' }
  /** Runtime settings, storage per metric tier and data purge (admin). */
  | { page: 'settings' }
  | { page: 'account' }
  /** The API, browsable (from the node's OpenAPI document). */
  | { page: 'api' }
  | { page: 'checks' }
  /** One URL/TCP/TLS/DNS check: its vantages, results and certificate. */
  | { page: 'check'; id: string }
  | { page: 'maintenance' }
  /** A group's public status page: shown without signing in. */
  | { page: 'status'; group: string }
  /** Where an emailed password reset link lands (its token is in the fragment). */
  | { page: 'reset-password' }
  | { page: 'not-found'; path: string };

export type ServerTab = 'overview' | 'history' | 'processes' | 'services' | 'backups' | 'checks' | 'events' | 'settings';
const TABS: ServerTab[] = ['overview', 'history', 'processes', 'services', 'backups', 'checks', 'events', 'settings'];

export type AlertsTab = 'active' | 'history';

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'overview' };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === USERS_PATH) return { page: 'users' };
  if (pathname === CLUSTER_PATH || pathname === `${CLUSTER_PATH}/`) return { page: 'cluster' };
  if (pathname === SETTINGS_PATH || pathname === `${SETTINGS_PATH}/`) return { page: 'settings' };
  if (pathname === ACCOUNT_PATH) return { page: 'account' };
  if (pathname === API_DOCS_PATH || pathname === `${API_DOCS_PATH}/`) return { page: 'api' };
  if (pathname === RESET_PASSWORD_PATH) return { page: 'reset-password' };
  if (pathname === MAINTENANCE_PATH || pathname === `${MAINTENANCE_PATH}/`) return { page: 'maintenance' };
  const checks = /^\/(checks|status)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (checks !== null) {
    if (checks[2] === undefined) return checks[1] === 'checks' ? { page: 'checks' } : { page: 'not-found', path: pathname };
    const name = decode(checks[2]);
    if (name !== null) return checks[1] === 'checks' ? { page: 'check', id: name } : { page: 'status', group: name };
  }
  const alerts = /^\/alerts(?:\/([a-z]+))?\/?$/.exec(pathname);
  if (alerts !== null) {
    switch (alerts[1]) {
      case undefined: return { page: 'alerts', tab: 'active' };
      case 'history': return { page: 'alerts', tab: 'history' };
      case 'rules': return { page: 'alert-rules' };
      case 'channels': return { page: 'channels' };
    }
  }
  const match = /^\/servers\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(pathname);
  if (match !== null) {
    const tab = (match[2] ?? 'overview') as ServerTab;
    const id = decode(match[1]);
    if (TABS.includes(tab) && id !== null) return { page: 'server', id, tab };
  }
  const item = /^\/servers\/([^/]+)\/(services|backups)\/([^/]+)\/?$/.exec(pathname);
  if (item !== null) {
    const id = decode(item[1]);
    const name = decode(item[3]);
    if (id !== null && name !== null) return item[2] === 'services' ? { page: 'service', id, name } : { page: 'backup', id, jobId: name };
  }
  return { page: 'not-found', path: pathname };
}

/** Null for a malformed escape ("%E0"): a typo in the address is "no such page", not a crash. */
function decode(part: string | undefined): string | null {
  try {
    return decodeURIComponent(part ?? '');
  } catch {
    return null;
  }
}

export function serverPath(id: string, tab: ServerTab = 'overview'): string {
  return `/servers/${encodeURIComponent(id)}${tab === 'overview' ? '' : `/${tab}`}`;
}

/** The name is escaped as ids are: "getty@tty1.service" becomes "getty%40tty1.service". */
export function servicePath(serverId: string, name: string): string {
  return `${serverPath(serverId, 'services')}/${encodeURIComponent(name)}`;
}

/** One backup job's page: its runs, snapshots and restores. */
export function backupPath(serverId: string, jobId: string): string {
  return `${serverPath(serverId, 'backups')}/${encodeURIComponent(jobId)}`;
}

/** One check's page. */
export function checkPath(id: string): string {
  return `${CHECKS_PATH}/${encodeURIComponent(id)}`;
}

/** The page of an alert's subject: a server's, or a check's (alerts of checks are filed under "check:<id>"). */
export function subjectPath(subject: string): string {
  return subject.startsWith('check:') ? checkPath(subject.slice('check:'.length)) : serverPath(subject);
}

/** A group's public status page (no sign-in). */
export function statusPath(group: string): string {
  return `/status/${encodeURIComponent(group)}`;
}

export const CHECKS_PATH = '/checks';
export const MAINTENANCE_PATH = '/maintenance';
export const ALERTS_PATH = '/alerts';
export const ALERT_HISTORY_PATH = '/alerts/history';
export const ALERT_RULES_PATH = '/alerts/rules';
export const CHANNELS_PATH = '/alerts/channels';
export const USERS_PATH = '/users';
export const CLUSTER_PATH = '/cluster';
export const SETTINGS_PATH = '/settings';
export const ACCOUNT_PATH = '/account';
/** Not under /api/: that prefix is the node's API itself. */
export const API_DOCS_PATH = '/api-docs';
export const RESET_PASSWORD_PATH = '/reset-password';

export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** Left clicks on internal links navigate without reloading the page; modified clicks open tabs as usual. */
export function onLinkClick(event: React.MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
