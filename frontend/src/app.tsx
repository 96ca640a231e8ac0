import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AppContext, type AppContextValue } from './lib/app-context';
import { earlyFetch, forgetEarlyAnswers } from './lib/early';
import { ApiError, errorMessage, HttpClient } from './lib/http';
import { LiveSocket, liveSocketUrl } from './lib/live-socket';
import { navigate, onLinkClick, useRoute } from './lib/router';
import type { Me } from './lib/wire';
import { ErrorBoundary, ErrorPanel, Skeleton } from './components/feedback';
import { TopBar } from './components/top-bar';
import { currentUser, logout as endSession } from './features/auth/api';
import { LoginPage } from './features/auth/login-page';
import { ResetPasswordPage } from './features/auth/reset-page';
import { OverviewPage } from './features/fleet/overview-page';
import { Bell } from './features/inbox/bell';
import { InboxContext, InboxStore } from './features/inbox/inbox-store';

// The detail page carries the charting library; the overview (the first screen) does not need it. The alert
// pages are visited rarely and stay out of the first download too.
const ServerPage = lazy(() => import('./features/server/server-page'));
const AlertsPage = lazy(() => import('./features/alerts/alerts-page'));
const RulesPage = lazy(() => import('./features/rules/rules-page'));
const ChannelsPage = lazy(() => import('./features/channels/channels-page'));
const UsersPage = lazy(() => import('./features/account/users-page'));
const ClusterPage = lazy(() => import('./features/cluster/cluster-page'));
const ApiPage = lazy(() => import('./features/api/api-page'));
const SettingsPage = lazy(() => import('./features/settings/settings-page'));
const AccountPage = lazy(() => import('./features/account/account-page'));
const ChecksPage = lazy(() => import('./features/checks/checks-page'));
const CheckPage = lazy(() => import('./features/checks/check-page'));
const MaintenancePage = lazy(() => import('./features/checks/maintenance-page'));
// A group's public status page: the one page shown without a session (it asks the node nothing else).
const StatusPage = lazy(() => import('./features/checks/status-page'));

type Session = { kind: 'checking' } | { kind: 'anonymous' } | { kind: 'unreachable'; message: string } | { kind: 'user'; me: Me };

export function App() {
  const [session, setSession] = useState<Session>({ kind: 'checking' });
  // The first check (and the overview's first list) may take the answer public/early.js asked for during the load.
  const http = useMemo(() => new HttpClient(earlyFetch((input, init) => fetch(input, init)), () => setSession({ kind: 'anonymous' })), []);
  const route = useRoute();
  // Counts the sessions this page has begun (each check and each login): an answer to a question asked in an earlier
  // one says nothing about the current one. Without it, a refused socket's "who am I?" answered 401 only after the
  // visitor had signed in sent them back to the login.
  const epoch = useRef(0);
  // Only the page's first check may take what early.js asked during the load: a later check (a retry, a return from
  // the status page) or a login may find another session, which a refused early answer would end at once.
  const beginSession = useCallback(() => {
    if (epoch.current > 0) forgetEarlyAnswers();
    epoch.current += 1;
  }, []);

  const check = useCallback(() => {
    beginSession();
    setSession({ kind: 'checking' });
    currentUser(http).then((me) => setSession({ kind: 'user', me }), (failure: unknown) => {
      setSession(failure instanceof ApiError && failure.status === 401
        ? { kind: 'anonymous' }
        : { kind: 'unreachable', message: errorMessage(failure) });
    });
  }, [http, beginSession]);
  // A public status page needs no session: its visitors are not asked who they are (nor sent to the login page).
  const publicPage = route.page === 'status';
  useEffect(() => {
    if (!publicPage) check();
  }, [check, publicPage]);

  // One live socket for the page, opened while the session is being checked, not after it: the overview's first
  // screen comes over it, and its handshake no longer waits behind the check (it authenticates with the same cookie).
  // Closed again when there turns out to be no session. A dropped socket may mean the session is gone (a refused
  // handshake looks like any other close): the node is asked, and a 401 shows the login (the client itself leaves
  // /api/auth/* answers to their callers).
  const live = useMemo(() => new LiveSocket(liveSocketUrl(window.location), {
    onSessionEnded: () => setSession({ kind: 'anonymous' }),
    onDropped: () => {
      const asked = epoch.current;
      currentUser(http).catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 401 && epoch.current === asked) setSession({ kind: 'anonymous' });
      });
    },
  }), [http]);
  const wantsSocket = !publicPage && route.page !== 'reset-password' && (session.kind === 'checking' || session.kind === 'user');
  useEffect(() => {
    if (!wantsSocket) return;
    live.start();
    return () => live.stop();
  }, [live, wantsSocket]);

  if (route.page === 'status') {
    return <Suspense fallback={<main className="page"><Skeleton lines={6} /></main>}><StatusPage group={route.group} /></Suspense>;
  }
  // A reset link works whoever is signed in on this browser (or nobody).
  if (route.page === 'reset-password') return <ResetPasswordPage http={http} hash={window.location.hash} />;
  if (session.kind === 'checking') return <main className="page"><Skeleton lines={4} /></main>;
  if (session.kind === 'unreachable') {
    return <main className="page"><ErrorPanel title="Cannot reach the Steward node" message={session.message} onRetry={check} /></main>;
  }
  if (session.kind === 'anonymous') {
    return <LoginPage http={http} onLoggedIn={(me) => {
      beginSession();
      setSession({ kind: 'user', me });
      if (window.location.pathname === '/login') navigate('/', true);
    }} />;
  }
  return <LoggedIn http={http} live={live} me={session.me} onLoggedOut={() => setSession({ kind: 'anonymous' })} route={route} />;
}

function LoggedIn({ http, live, me, onLoggedOut, route }: {
  http: HttpClient; live: LiveSocket; me: Me; onLoggedOut: () => void; route: ReturnType<typeof useRoute>;
}) {
  const inbox = useMemo(() => new InboxStore(http, live), [http, live]);
  useEffect(() => inbox.start(), [inbox]);
  const logout = useCallback(() => {
    live.stop();
    void endSession(http).catch(() => undefined).finally(onLoggedOut);
  }, [http, live, onLoggedOut]);
  const context: AppContextValue = useMemo(() => ({ http, live, me, logout }), [http, live, me, logout]);
  const loading = <main className="page"><Skeleton lines={6} /></main>;
  return (
    <AppContext.Provider value={context}>
      <InboxContext.Provider value={inbox}>
        <TopBar route={route} notifications={<Bell />} />
        {/* A server's tabs, its service pages and its backup job pages share one boundary (and one mounted server page). */}
        <ErrorBoundary key={route.page === 'server' || route.page === 'service' || route.page === 'backup' ? route.id : route.page}>
          {(route.page === 'overview' || route.page === 'login') && <OverviewPage />}
          {(route.page === 'server' || route.page === 'service' || route.page === 'backup') && (
            <Suspense fallback={loading}>
              <ServerPage id={route.id} tab={route.page === 'service' ? 'services' : route.page === 'backup' ? 'backups' : route.tab}
                service={route.page === 'service' ? route.name : null} backupJob={route.page === 'backup' ? route.jobId : null} />
            </Suspense>
          )}
          {route.page === 'alerts' && <Suspense fallback={loading}><AlertsPage tab={route.tab} /></Suspense>}
          {route.page === 'alert-rules' && <Suspense fallback={loading}><RulesPage /></Suspense>}
          {route.page === 'channels' && <Suspense fallback={loading}><ChannelsPage /></Suspense>}
          {route.page === 'users' && (me.role === 'ADMIN'
            ? <Suspense fallback={loading}><UsersPage /></Suspense>
            : <main className="page"><ErrorPanel title="Admins only" message="Only an admin can manage users." /></main>)}
          {route.page === 'cluster' && (me.role === 'ADMIN'
            ? <Suspense fallback={loading}><ClusterPage /></Suspense>
            : <main className="page"><ErrorPanel title="Admins only" message="Only an admin can see the cluster." /></main>)}
          {route.page === 'settings' && (me.role === 'ADMIN'
            ? <Suspense fallback={loading}><SettingsPage /></Suspense>
            : <main className="page"><ErrorPanel title="Admins only" message="Only an admin can change the settings." /></main>)}
          {route.page === 'account' && <Suspense fallback={loading}><AccountPage /></Suspense>}
          {route.page === 'api' && <Suspense fallback={loading}><ApiPage /></Suspense>}
          {route.page === 'checks' && <Suspense fallback={loading}><ChecksPage /></Suspense>}
          {route.page === 'check' && <Suspense fallback={loading}><CheckPage key={route.id} id={route.id} /></Suspense>}
          {route.page === 'maintenance' && <Suspense fallback={loading}><MaintenancePage /></Suspense>}
          {route.page === 'not-found' && (
            <main className="page"><ErrorPanel title="No such page" message={`Nothing lives at ${route.path}.`} />
              <p><a href="/" onClick={onLinkClick}>Go to the overview</a></p></main>
          )}
        </ErrorBoundary>
      </InboxContext.Provider>
    </AppContext.Provider>
  );
}
