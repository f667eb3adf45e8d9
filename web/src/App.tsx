import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, isClientError, type SessionInfo } from './api/client.js';
import { Link } from './components/Link.js';
import { navigate, usePath } from './hooks/router.js';
import { SessionContext, sessionOf, type Session } from './hooks/session.js';
import { useLiveState, useStream } from './hooks/stream.js';
import { Admin } from './scenes/Admin.js';
import { AlertInbox } from './scenes/AlertInbox.js';
import { Catalog } from './scenes/Catalog.js';
import { Declare } from './scenes/Declare.js';
import { FollowUps } from './scenes/FollowUps.js';
import { IncidentList } from './scenes/IncidentList.js';
import { IncidentRoom } from './scenes/IncidentRoom.js';
import { OnCall } from './scenes/OnCall.js';
import { PostmortemEditor } from './scenes/PostmortemEditor.js';
import { PostmortemPrint } from './scenes/PostmortemPrint.js';
import { ServicePage } from './scenes/ServicePage.js';
import { SignIn } from './scenes/SignIn.js';

// Charts (uPlot) load only when Insights is opened, so the first screen stays small.
const Insights = lazy(() => import('./scenes/Insights.js').then((m) => ({ default: m.Insights })));

function LiveIndicator() {
  const state = useLiveState();
  const label = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'offline';
  return (
    <span className={`live live-${state}`} title="Server-sent events from /api/v1/stream" data-live={state}>
      ● {label}
    </span>
  );
}

function NavLink({ to, path, also, children }: { to: string; path: string; also?: RegExp; children: string }) {
  const here = path === to || (also?.test(path) ?? false);
  return (
    <Link to={to} className={here ? 'here' : undefined} current={here}>
      {children}
    </Link>
  );
}

/** `/incidents/INC-n/postmortem/print`: the report alone, without the top bar, for paper. */
const PRINT = /^\/incidents\/([^/]+)\/postmortem\/print\/?$/;

function Scene({ path }: { path: string }) {
  const print = PRINT.exec(path);
  if (print?.[1]) {
    const id = decodeURIComponent(print[1]);
    return <PostmortemPrint key={id} id={id} />;
  }
  const room = /^\/incidents\/([^/]+)(\/postmortem)?\/?$/.exec(path);
  if (room?.[1]) {
    const id = decodeURIComponent(room[1]);
    return room[2] ? <PostmortemEditor key={id} id={id} /> : <IncidentRoom key={id} id={id} />;
  }
  const service = /^\/catalog\/([^/]+)\/?$/.exec(path);
  if (service?.[1]) {
    const name = decodeURIComponent(service[1]);
    return <ServicePage key={name} name={name} />;
  }
  if (path === '/declare') return <Declare />;
  if (path === '/' || path === '/incidents') return <IncidentList />;
  if (path === '/alerts') return <AlertInbox />;
  if (path === '/follow-ups') return <FollowUps />;
  if (path === '/catalog') return <Catalog />;
  if (path === '/oncall') return <OnCall />;
  if (path === '/admin') return <Admin />;
  if (path === '/insights') {
    return (
      <Suspense fallback={<main className="page muted">Loading insights…</main>}>
        <Insights />
      </Suspense>
    );
  }
  return (
    <main className="page">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Back to incidents</Link>
      </p>
    </main>
  );
}

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.whoami().then(
      (info) => setSession(sessionOf(info)),
      (err: unknown) => {
        if (isClientError(err, 'unauthorized')) setSession(null);
        else setBootError('Cannot reach the Firebreak server. Retrying…');
      },
    );
  }, []);

  useEffect(load, [load]);
  // One stream for the signed-in app, opened here rather than by the scenes, so the indicator is true everywhere.
  useStream(Boolean(session));
  useEffect(() => {
    if (!bootError) return;
    const t = setTimeout(() => {
      setBootError(null);
      load();
    }, 3_000);
    return () => clearTimeout(t);
  }, [bootError, load]);

  const handleSignedIn = (info: SessionInfo) => setSession(sessionOf(info));
  const handleSignOut = async () => {
    await api.signOut().catch(() => undefined);
    setSession(null); // and useStream closes the stream
    navigate('/', true);
  };

  if (bootError) return <main className="page muted">{bootError}</main>;
  if (session === undefined) return <main className="page muted">Loading…</main>;
  if (session === null) return <SignIn onSignedIn={handleSignedIn} />;

  if (PRINT.test(path)) {
    return (
      <SessionContext.Provider value={session}>
        <Scene path={path} />
      </SessionContext.Provider>
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <header className="topbar">
        <Link to="/" className="brand">
          Firebreak
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" path={path} also={/^\/incidents/}>
            Incidents
          </NavLink>
          <NavLink to="/alerts" path={path}>
            Alerts
          </NavLink>
          <NavLink to="/follow-ups" path={path}>
            Follow-ups
          </NavLink>
          <NavLink to="/catalog" path={path} also={/^\/catalog\//}>
            Catalog
          </NavLink>
          <NavLink to="/oncall" path={path}>
            On call
          </NavLink>
          <NavLink to="/insights" path={path}>
            Insights
          </NavLink>
          {session.isAdmin && (
            <NavLink to="/admin" path={path}>
              Admin
            </NavLink>
          )}
          {session.canAct && (
            <NavLink to="/declare" path={path}>
              Declare
            </NavLink>
          )}
        </nav>
        <span className="spacer" />
        <LiveIndicator />
        <span className="who" title={`Signed in as ${session.username}`}>
          {session.username} <span className="role">{session.role}</span>
        </span>
        <button type="button" className="link" onClick={handleSignOut}>
          Sign out
        </button>
      </header>
      <Scene path={path} />
    </SessionContext.Provider>
  );
}
