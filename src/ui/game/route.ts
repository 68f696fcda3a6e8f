/**
 * The game page's views, from the address's hash (so a join link or a reload lands on the same view):
 *   #join=<session string>  a player's device joining a session shared by link / QR code (share.ts)
 *   #organise               the organiser's page for the current session
 *   #play                   playing on this device (one device, players taking turns, or a joined device)
 *   (none)                  home: set up a session, or continue the one on this device
 */
export type GameRoute = { view: 'home' } | { view: 'organise' } | { view: 'play' } | { view: 'join'; session: string };

export function parseRoute(hash: string): GameRoute {
  const h = hash.replace(/^#/, '');
  if (h.startsWith('join=')) return { view: 'join', session: decodeURIComponent(h.slice(5)) };
  if (h === 'organise') return { view: 'organise' };
  if (h === 'play') return { view: 'play' };
  return { view: 'home' };
}

export function routeHash(r: GameRoute): string {
  return r.view === 'home' ? '' : r.view === 'join' ? `#join=${r.session}` : `#${r.view}`;
}
