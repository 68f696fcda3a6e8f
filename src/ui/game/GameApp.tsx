/** The game page: one view at a time, chosen by the address's hash (route.ts). */
import { useEffect, useState } from 'react';
import { OrganiserView } from './organiser/OrganiserView';
import { type GameRoute, parseRoute, routeHash } from './route';

export function navigate(r: GameRoute): void {
  location.hash = routeHash(r);
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
      <h1>Spot the odd song out</h1>
      <p className="muted">
        {route.view} — <a href="./">back to the lab</a>
      </p>
      {route.view === 'organise' && <OrganiserView />}
    </main>
  );
}
