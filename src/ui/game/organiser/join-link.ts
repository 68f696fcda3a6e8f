/** The join link of a session (pure): play.html#join=<encodeSession>, bundled clip sets without their clip ids. */
import { encodeSession, type SessionSettings } from '../../../game';
import { isBundledClipSet } from './clip-sets';

/** The game page's address seen from `href` (the organiser's page), without query or hash. */
export function gamePageAddress(href: string): string {
  const u = new URL(href);
  const dir = u.pathname.replace(/[^/]*$/, '');
  return `${u.origin}${dir}play.html`;
}

export function joinLink(settings: SessionSettings, pageAddress: string): string {
  return `${pageAddress}#join=${encodeSession(settings, { omitClipIds: isBundledClipSet(settings.clipSetId) })}`;
}

/** Why phones may not reach this address (null when it looks reachable). */
export function addressWarning(pageAddress: string): string | null {
  let u: URL;
  try {
    u = new URL(pageAddress);
  } catch {
    return 'This is not a web address.';
  }
  if (/^(localhost|127\.|\[::1\]$)/.test(u.hostname) || u.hostname === '[::1]')
    return `${u.hostname} is this computer only: phones cannot open it. Start the site on the network (npm run dev -- --host, or the built site on a LAN address) and write that address here, e.g. http://192.168.1.20:5173/play.html.`;
  if (u.protocol === 'file:') return 'A file:// address cannot be opened by other devices: serve the site over HTTP.';
  return null;
}
