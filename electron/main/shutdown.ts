/**
 * Graceful shutdown, in an order that never cuts a reset in half:
 *   1. stop input: the IPC handlers go, so no touch can start anything new;
 *   2. let a card write in progress finish (the session carries on by itself to the center's
 *      confirmation), bounded;
 *   3. flush the reset journal: settle every unconfirmed reset with the center while the center
 *      (the embedded one included) still runs — the journal itself is fsync'ed line by line;
 *   4. close the runtime: the core stops, the PC/SC reader service releases card and context,
 *      the embedded center closes its SQLite file;
 *   5. exit.
 * A step that fails or runs out of time is reported and the next one still runs: the app must
 * end, and a reset left unconfirmed is settled at the next start (the journal keeps it).
 */
import type { Snapshot } from '../contract/kiosk';

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown> | unknown;
  /** Longest wait for this step; undefined = no limit. */
  readonly timeoutMs?: number;
}

export type StepOutcome = { readonly name: string; readonly outcome: 'done' } | { readonly name: string; readonly outcome: 'failed' | 'timed-out'; readonly detail: string };

export class ShutdownTimeout extends Error {
  readonly code = 'SHUTDOWN_STEP_TIMEOUT';
  constructor(step: string, ms: number) {
    super(`${step} did not finish within ${ms} ms`);
    this.name = 'ShutdownTimeout';
  }
}

async function withTimeout(step: ShutdownStep): Promise<void> {
  const ms = step.timeoutMs;
  if (ms === undefined) {
    await step.run();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(step.run),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ShutdownTimeout(step.name, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the steps in order; never throws. */
export async function runShutdown(steps: readonly ShutdownStep[], log: (line: string) => void = () => {}): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    try {
      await withTimeout(step);
      outcomes.push({ name: step.name, outcome: 'done' });
    } catch (err) {
      const timedOut = err instanceof ShutdownTimeout;
      const detail = err instanceof Error ? err.message : String(err);
      outcomes.push({ name: step.name, outcome: timedOut ? 'timed-out' : 'failed', detail });
      log(`shutdown: ${step.name} ${timedOut ? 'timed out' : 'failed'}: ${detail}`);
    }
  }
  return outcomes;
}

/** True while the card is being written (or the center asked to authorize): do not stop then. */
export function cardWriteInProgress(snapshot: Snapshot): boolean {
  return snapshot.screen.id === 'progress' && snapshot.screen.doNotRemoveCard;
}

/** What the shutdown needs from the kiosk core. */
export interface ShutdownCore {
  snapshot(): Snapshot;
  onSnapshot(listener: (s: Snapshot) => void): () => void;
  settle(): Promise<unknown>;
}

/** Resolves once no card write is in progress. */
export function cardWriteFinished(core: ShutdownCore): Promise<void> {
  if (!cardWriteInProgress(core.snapshot())) return Promise.resolve();
  return new Promise((resolve) => {
    const off = core.onSnapshot((s) => {
      if (cardWriteInProgress(s)) return;
      off();
      resolve();
    });
  });
}

export interface KioskShutdownDeps {
  /** Removes the IPC handlers and snapshot pushes. */
  readonly stopInput: () => void;
  readonly core: ShutdownCore;
  /** KioskRuntime.close: core, reader service, embedded center. */
  readonly closeRuntime: () => Promise<void>;
  readonly log?: (line: string) => void;
  /** Bounds (ms) for the waiting steps. */
  readonly cardWriteTimeoutMs?: number;
  readonly settleTimeoutMs?: number;
  readonly closeTimeoutMs?: number;
}

/** The kiosk's shutdown steps, in order (see the file comment). */
export function kioskShutdownSteps(d: KioskShutdownDeps): ShutdownStep[] {
  return [
    { name: 'stop-input', run: d.stopInput },
    { name: 'finish-card-write', run: () => cardWriteFinished(d.core), timeoutMs: d.cardWriteTimeoutMs ?? 30_000 },
    { name: 'flush-journal', run: () => d.core.settle(), timeoutMs: d.settleTimeoutMs ?? 10_000 },
    { name: 'close-runtime', run: d.closeRuntime, timeoutMs: d.closeTimeoutMs ?? 10_000 },
  ];
}

/** A shutdown that runs once, however often it is asked for (before-quit, SIGTERM, …). */
export function onceShutdown(steps: () => readonly ShutdownStep[], log?: (line: string) => void): () => Promise<StepOutcome[]> {
  let running: Promise<StepOutcome[]> | undefined;
  return () => (running ??= runShutdown(steps(), log));
}
