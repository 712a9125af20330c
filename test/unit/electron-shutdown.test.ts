/**
 * Graceful shutdown order, against a core that is in the middle of writing a card: input stops
 * first, the card write is allowed to finish, the journal is settled with the center while the
 * center still runs, and only then are the reader and center closed. A stuck or failing step
 * does not keep the app from ending.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../electron/contract/kiosk';
import { cardWriteInProgress, kioskShutdownSteps, onceShutdown, runShutdown, type ShutdownCore } from '../../electron/main/shutdown';

function snapshot(screen: Snapshot['screen']): Snapshot {
  return { seq: 0, sessionId: 's', screen, language: 'ja', chain: 'seven-eleven', reader: { state: 'card-present', name: 'r' }, clock: { mode: 'system', now: 0, offsetMs: 0 }, timeout: null, canCancel: false, canGoBack: false, journey: null };
}
const WRITING = snapshot({ id: 'progress', kind: 'sign', step: 'writing-card', doNotRemoveCard: true });
const READING = snapshot({ id: 'progress', kind: 'sign', step: 'reading-card', doNotRemoveCard: false });
const DONE = snapshot({ id: 'done', kind: 'sign' });

/** A core whose card write finishes when the test says so; what it is asked goes to `order`. */
function coreWriting(order: string[]) {
  let current = WRITING;
  const listeners = new Set<(s: Snapshot) => void>();
  const core: ShutdownCore = {
    snapshot: () => current,
    onSnapshot: (l) => (listeners.add(l), () => listeners.delete(l)),
    settle: async () => {
      order.push(`settle (writing: ${cardWriteInProgress(current)})`);
      return { confirmed: 1, pending: 0 };
    },
  };
  const finishWrite = () => {
    current = DONE;
    listeners.forEach((l) => l(current));
  };
  return { core, finishWrite };
}

describe('shutdown order', () => {
  it('stop input → card write finishes → journal settled → runtime closed', async () => {
    const order: string[] = [];
    const { core, finishWrite } = coreWriting(order);
    const done = runShutdown(
      kioskShutdownSteps({
        stopInput: () => order.push('stop-input'),
        core,
        closeRuntime: async () => {
          order.push('close-runtime');
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    // Still writing: nothing after stop-input may have run.
    expect(order).toEqual(['stop-input']);
    order.push('card written');
    finishWrite();
    const outcomes = await done;
    expect(order).toEqual(['stop-input', 'card written', 'settle (writing: false)', 'close-runtime']);
    expect(outcomes.map((o) => o.outcome)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('a card write that never ends is waited for only so long; the journal is still settled and the runtime closed', async () => {
    const order: string[] = [];
    const { core } = coreWriting(order);
    const outcomes = await runShutdown(kioskShutdownSteps({ stopInput: () => order.push('stop-input'), core, closeRuntime: async () => void order.push('close-runtime'), cardWriteTimeoutMs: 20 }));
    expect(outcomes.map((o) => `${o.name} ${o.outcome}`)).toEqual(['stop-input done', 'finish-card-write timed-out', 'flush-journal done', 'close-runtime done']);
    expect(order.at(-1)).toBe('close-runtime');
  });

  it('a failing step is reported and the next still runs', async () => {
    const lines: string[] = [];
    const outcomes = await runShutdown(
      [
        { name: 'a', run: () => Promise.reject(new Error('center unreachable')) },
        { name: 'b', run: () => undefined },
      ],
      (l) => lines.push(l),
    );
    expect(outcomes).toEqual([
      { name: 'a', outcome: 'failed', detail: 'center unreachable' },
      { name: 'b', outcome: 'done' },
    ]);
    expect(lines).toEqual(['shutdown: a failed: center unreachable']);
  });

  it('nothing to wait for when no card is being written (reading a card is not writing it)', () => {
    expect(cardWriteInProgress(READING)).toBe(false);
    expect(cardWriteInProgress(DONE)).toBe(false);
    expect(cardWriteInProgress(WRITING)).toBe(true);
  });

  it('asked twice (before-quit, then SIGTERM), it runs once', async () => {
    let runs = 0;
    const shutdown = onceShutdown(() => [{ name: 'x', run: () => void runs++ }]);
    const [a, b] = await Promise.all([shutdown(), shutdown()]);
    expect(runs).toBe(1);
    expect(a).toBe(b);
  });
});
