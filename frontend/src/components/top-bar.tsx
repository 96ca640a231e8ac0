import { useEffect, useState, type ReactNode } from 'react';
import { useApp } from '../lib/app-context';
import type { ConnectionState } from '../lib/live-socket';
import { ACCOUNT_PATH, ALERTS_PATH, API_DOCS_PATH, CHECKS_PATH, CLUSTER_PATH, onLinkClick, SETTINGS_PATH, USERS_PATH, type Route } from '../lib/router';
import { currentTheme, setTheme, type Theme } from '../lib/theme';

const ALERT_PAGES: Route['page'][] = ['alerts', 'alert-rules', 'channels'];
const CHECK_PAGES: Route['page'][] = ['checks', 'check', 'maintenance'];

/** Brand, navigation, connection state, `notifications` (the bell), theme and user. */
export function TopBar({ route, notifications }: { route: Route; notifications: ReactNode }) {
  const { me, logout, live } = useApp();
  const [theme, setThemeState] = useState<Theme>(currentTheme);
  const [connection, setConnection] = useState<ConnectionState>(live.connectionState);
  useEffect(() => live.onState(setConnection), [live]);
  const toggle = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    setTheme(next);
    setThemeState(next);
  };
  return (
    <>
      <header className="top-bar">
        <a className="brand" href="/" onClick={onLinkClick} title="Fleet overview"><span className="brand-mark" />Steward</a>
        <nav className="top-nav">
          <a href="/" onClick={onLinkClick} title="All servers"
            className={route.page === 'overview' || route.page === 'server' || route.page === 'service' || route.page === 'backup' ? 'active' : ''}>Servers</a>
          <a href={CHECKS_PATH} onClick={onLinkClick} title="URL, TCP, TLS and DNS checks run from your servers"
            className={CHECK_PAGES.includes(route.page) ? 'active' : ''} data-testid="nav-checks">Checks</a>
          <a href={ALERTS_PATH} onClick={onLinkClick} title="Active alerts, history, rules and notification channels"
            className={ALERT_PAGES.includes(route.page) ? 'active' : ''} data-testid="nav-alerts">Alerts</a>
          {me.role === 'ADMIN' && (
            <a href={USERS_PATH} onClick={onLinkClick} title="Users, roles and the audit log"
              className={route.page === 'users' ? 'active' : ''} data-testid="nav-users">Users</a>
          )}
          {me.role === 'ADMIN' && (
            <a href={CLUSTER_PATH} onClick={onLinkClick} title="Cluster members, what each hosts, and the failover history"
              className={route.page === 'cluster' ? 'active' : ''} data-testid="nav-cluster">Cluster</a>
          )}
          {me.role === 'ADMIN' && (
            <a href={SETTINGS_PATH} onClick={onLinkClick} title="Retention, offline threshold, public URL, agent interval, storage and purge"
              className={route.page === 'settings' ? 'active' : ''} data-testid="nav-settings">Settings</a>
          )}
          <a href={API_DOCS_PATH} onClick={onLinkClick} title="Every API endpoint: who may call it, what it takes and answers"
            className={route.page === 'api' ? 'active' : ''} data-testid="nav-api">API</a>
        </nav>
        <div className="top-right">
          <span className={`live-state live-${connection}`} title={connection === 'open'
            ? 'Live: values update as servers report' : 'Not connected to the node; reconnecting'}>
            {connection === 'open' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Offline'}
          </span>
          {notifications}
          <button type="button" className="icon-button" onClick={toggle} data-testid="theme-toggle"
            title={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <a className={`user${route.page === 'account' ? ' active' : ''}`} href={ACCOUNT_PATH} onClick={onLinkClick} data-testid="nav-account"
            title={`Signed in as ${me.username} (${me.role.toLowerCase()}): change password, API tokens`}>{me.username}</a>
          <button type="button" className="secondary" onClick={logout} data-testid="logout" title="Sign out">Log out</button>
        </div>
      </header>
      {connection === 'reconnecting' && (
        <div className="banner" role="status" data-testid="disconnected-banner">
          Disconnected from the Steward node — reconnecting. Values shown may be out of date.
        </div>
      )}
    </>
  );
}
