// A tiny history router: the app has three routes, not worth a library's bytes.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'server'; id: string; tab: ServerTab }
  | { page: 'login' }
  | { page: 'not-found'; path: string };

export type ServerTab = 'overview' | 'history' | 'processes' | 'events' | 'settings';
const TABS: ServerTab[] = ['overview', 'history', 'processes', 'events', 'settings'];

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'overview' };
  if (pathname === '/login') return { page: 'login' };
  const match = /^\/servers\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(pathname);
  if (match !== null) {
    const tab = (match[2] ?? 'overview') as ServerTab;
    if (TABS.includes(tab)) return { page: 'server', id: decodeURIComponent(match[1] ?? ''), tab };
  }
  return { page: 'not-found', path: pathname };
}

export function serverPath(id: string, tab: ServerTab = 'overview'): string {
  return `/servers/${encodeURIComponent(id)}${tab === 'overview' ? '' : `/${tab}`}`;
}

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
