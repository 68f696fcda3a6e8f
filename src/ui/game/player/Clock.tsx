/** The round's countdown (deadline() of match.ts): visible every 0.2 s, announced to screen readers at sensible moments; 0 closes voting. */
import { useEffect, useState } from 'react';
import { announce, castVote } from './player-store';

/** What a screen reader hears at `left` whole seconds (null: nothing new; the start is said with "the clips are ready"). */
export function clockAnnouncement(left: number, total: number): string | null {
  if (left <= 0) return 'Voting closed.';
  if (left === 10 || left === 5 || (left % 15 === 0 && left < total)) return `${left} seconds left.`;
  return null;
}

const offlineTimeout = (): void => void castVote(null);

/** `onEnd` (default: the offline match's timeout vote) runs when the clock reaches 0; `onSay` (default: the offline page's live region) speaks. */
export function Clock({
  deadline,
  seconds,
  onEnd = offlineTimeout,
  onSay = announce,
}: {
  deadline: number;
  seconds: number;
  onEnd?: () => void;
  onSay?: (text: string) => void;
}) {
  const [now, setNow] = useState(Date.now);
  const leftMs = Math.max(0, deadline - now);
  const left = Math.ceil(leftMs / 1000);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    const a = clockAnnouncement(left, seconds);
    if (a) onSay(a);
    if (leftMs <= 0) onEnd();
  }, [left, leftMs, seconds, onEnd, onSay]);
  const share = leftMs / (seconds * 1000);
  return (
    <div className={`clock${left <= Math.min(10, Math.ceil(seconds / 3)) ? ' low' : ''}`} data-testid="clock" data-left={left}>
      <span className="clock-text" aria-hidden="true">
        {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
      </span>
      <span className="clock-bar" aria-hidden="true">
        <span className="clock-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </span>
    </div>
  );
}
