/**
 * Which snapshot the renderer shows. Snapshots are checked against the contract's schema here, at
 * the renderer's side of the window.kiosk boundary (the Electron preload passes whatever main
 * sends), and an older or repeated one — a getSnapshot answer racing a push — never replaces a
 * newer one. Pure, so the rule is unit-tested.
 */
import { checkSnapshot, type Snapshot } from '@contract/kiosk';
import type { ContractProblem } from '@contract/schema';

export type SnapshotVerdict =
  | { readonly take: true; readonly snapshot: Snapshot }
  | { readonly take: false; readonly why: 'stale' }
  | { readonly take: false; readonly why: 'invalid'; readonly problems: readonly ContractProblem[] };

export function judgeSnapshot(current: Snapshot | null, incoming: unknown): SnapshotVerdict {
  const checked = checkSnapshot(incoming);
  if (!checked.ok) return { take: false, why: 'invalid', problems: checked.problems };
  if (current !== null && checked.value.seq <= current.seq && !stationNews(current, checked.value)) return { take: false, why: 'stale' };
  return { take: true, snapshot: checked.value };
}

/**
 * A classroom station sends its core's snapshot again, same number, when only its own part changed
 * (the trainer paused it, gave a task): that is news, not a repeat.
 */
function stationNews(current: Snapshot, incoming: Snapshot): boolean {
  return incoming.seq === current.seq && incoming.station !== undefined && JSON.stringify(incoming.station) !== JSON.stringify(current.station);
}

/**
 * Identity of what a screen asks for, for components that keep local input (the keypads): it
 * changes when the screen or its question changes — another password, a new problem, fewer tries —
 * and not on the once-a-second countdown snapshots, so typing is not wiped while the clock runs.
 */
export function screenKey(snapshot: Snapshot): string {
  return `${snapshot.sessionId ?? '-'}:${JSON.stringify(snapshot.screen)}`;
}
