/** The game page: one view at a time, chosen by the address's hash (route.ts). */
import { lazy, Suspense, useEffect, useState } from 'react';
import { LiveView } from './live/LiveView';
import { HomeView } from './player/HomeView';
import { JoinView } from './player/JoinView';
import { PlayView } from './player/PlayView';
import { type GameRoute, parseRoute, routeHash } from './route';

// the organiser's page loads on demand: players' phones never fetch its QR reader and exports
const OrganiserView = lazy(() => import('./organiser/OrganiserView').then((m) => ({ default: m.OrganiserView })));

export function navigate(r: GameRoute): void {
  location.hash = routeHash(r);
}

/** The session of a workshop server's join link (play.html?workshop=<session>), or null. */
const workshop = (): string | null => new URLSearchParams(location.search).get('workshop');

/**
 * The home view of play.html served by a workshop server without ?workshop= (an address typed by hand, the lab's
 * "Listening game" link): GET /api/info says so, and the page plays live on the server's current session.
 */
function useServedLive(route: GameRoute): boolean {
  const [served, setServed] = useState(false);
  const home = route.view === 'home' && workshop() === null;
  useEffect(() => {
    if (!home || served) return;
    let alive = true;
    fetch(new URL('/api/info', location.origin))
      .then((r) => (r.ok ? r.json() : null))
      .then((j: { protocol?: number } | null) => alive && j?.protocol === 1 && setServed(true))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [home, served]);
  return home && served;
}

function View({ route }: { route: GameRoute }) {
  const live = useServedLive(route) ? '' : workshop();
  // a join link of a workshop server: the player plays over the server (live/), offline play stays at play.html#play
  if (live !== null && (route.view === 'home' || route.view === 'play')) return <LiveView workshop={live || null} />;
  switch (route.view) {
    case 'home':
      return <HomeView />;
    case 'join':
      return <JoinView text={route.session} />;
    case 'play':
      return <PlayView />;
    case 'organise':
      return (
        <Suspense fallback={<p className="muted">Loading the organiser's page…</p>}>
          <OrganiserView />
        </Suspense>
      );
  }
}

export function GameApp() {
  const [route, setRoute] = useState<GameRoute>(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return (
    <main className="game" data-testid="game" data-view={route.view}>
      <header className="game-head">
        <h1>
          <a href="#home" className="game-title">
            Spot the odd song out
          </a>
        </h1>
        <nav aria-label="Game pages" className="game-nav">
          <a href="#organise">Organise</a>
          <a href="./">Similarity Lab</a>
        </nav>
      </header>
      <View route={route} />
    </main>
  );
}
