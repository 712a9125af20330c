/**
 * The console page's store: the class as the host last answered (window.kiosk.console.getClass,
 * polled: the contract has no push for the console), the trainer's selection of stations, and the
 * actions on it. Like the kiosk's store it decides nothing: each answer carries the class after it.
 * A refused console (no token, a wrong one, a host without a classroom) stops asking.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ConsoleApi } from '@contract/api';
import type { ClassView, ConsoleAction, ConsoleProblem } from '@contract/console';
import type { Language } from '@contract/schema';
import { hostNow, mergeClassView } from './class-view';

/** How the console stands with its host. */
export type ConsoleAccess = 'connecting' | 'ready' | 'token-needed' | 'wrong-token' | 'no-classroom' | 'lost';

/** The last action that did not take everywhere: why, and on which stations. */
export interface ActionFailure {
  readonly action: ConsoleAction['type'];
  readonly problem: ConsoleProblem | 'unreachable';
  readonly stations: readonly number[];
}

/** Between one answer and the next question (the brief: 200–250 ms, a cheap call on one socket). */
export const POLL_MS = 220;

/** The transport's error code of a failed call (KioskTransportError), if it has one. */
function codeOf(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
}

export const useConsoleStore = defineStore('console', () => {
  const view = shallowRef<ClassView | null>(null);
  /** Local time the view arrived: the host's clock runs on from `view.now` at the local clock's pace. */
  const receivedAt = ref(0);
  /** The local clock, ticking each second for the elapsed times. */
  const localNow = ref(Date.now());
  const access = ref<ConsoleAccess>('connecting');
  /** The last question went unanswered: the grid shows the last class, marked as not current. */
  const stale = ref(false);
  const selected = ref<readonly number[]>([]);
  const busy = ref(false);
  const failure = shallowRef<ActionFailure | null>(null);
  /** The console's own language (each station's screen keeps its citizen's). */
  const language = ref<Language>('ja');

  let api: ConsoleApi | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let tickTimer: ReturnType<typeof setInterval> | undefined;

  const now = computed(() => (view.value === null ? null : hostNow(view.value.now, receivedAt.value, localNow.value)));
  const selectedSet = computed(() => new Set(selected.value));

  function take(next: ClassView): void {
    view.value = mergeClassView(view.value, next);
    receivedAt.value = Date.now();
    localNow.value = receivedAt.value;
    access.value = 'ready';
    stale.value = false;
    const present = new Set(next.stations.map((s) => s.n));
    if (selected.value.some((n) => !present.has(n))) selected.value = selected.value.filter((n) => present.has(n));
  }

  /** A refusal ends the console's asking; true when `e` was one. */
  function refusal(e: unknown): boolean {
    const code = codeOf(e);
    if (code === 'NOT_ALLOWED') refuse('token-needed');
    else if (code === 'UNSUPPORTED') refuse('no-classroom');
    else return false;
    return true;
  }

  async function poll(): Promise<void> {
    pollTimer = undefined;
    const asked = api;
    if (asked === null) return;
    try {
      const next = await asked.getClass();
      if (api === asked) take(next);
    } catch (e) {
      if (api === asked && !refusal(e)) stale.value = true;
    }
    if (api === asked && pollTimer === undefined) pollTimer = setTimeout(() => void poll(), POLL_MS);
  }

  /** Starts watching the class through `c` (null: this host has no classroom). */
  function connect(c: ConsoleApi | null): void {
    disconnect();
    if (c === null) {
      access.value = 'no-classroom';
      return;
    }
    api = c;
    access.value = 'connecting';
    tickTimer = setInterval(() => (localNow.value = Date.now()), 1000);
    void poll();
  }

  function disconnect(): void {
    api = null;
    clearTimeout(pollTimer);
    clearInterval(tickTimer);
    pollTimer = undefined;
    tickTimer = undefined;
  }

  /** The host refused this console, or is gone: no more questions (each refusal counts as a failed guess). */
  function refuse(why: Exclude<ConsoleAccess, 'connecting' | 'ready'>): void {
    disconnect();
    view.value = null;
    access.value = why;
  }

  function toggle(n: number): void {
    selected.value = selectedSet.value.has(n) ? selected.value.filter((m) => m !== n) : [...selected.value, n].sort((a, b) => a - b);
  }

  function selectAll(): void {
    selected.value = view.value?.stations.map((s) => s.n) ?? [];
  }

  function selectNone(): void {
    selected.value = [];
  }

  /** Does `action` to every selected station; the answer's class is shown, and where it failed. */
  async function act(action: ConsoleAction): Promise<void> {
    const c = api;
    const stations = [...selected.value];
    if (c === null || stations.length === 0 || busy.value) return;
    busy.value = true;
    failure.value = null;
    try {
      const r = await c.act(stations, action);
      take(r.view);
      if (!r.ok) failure.value = { action: action.type, problem: r.problem, stations: r.stations };
    } catch (e) {
      if (!refusal(e)) failure.value = { action: action.type, problem: 'unreachable', stations };
    } finally {
      busy.value = false;
    }
  }

  /** The class summary as the host writes it (CSV); null when it could not be fetched. */
  async function summaryCsv(): Promise<string | null> {
    const c = api;
    if (c === null) return null;
    try {
      return await c.summaryCsv();
    } catch (e) {
      refusal(e);
      return null;
    }
  }

  return {
    view,
    now,
    access,
    stale,
    selected,
    selectedSet,
    busy,
    failure,
    language,
    connect,
    disconnect,
    refuse,
    toggle,
    selectAll,
    selectNone,
    act,
    summaryCsv,
  };
});

export type ConsoleStore = ReturnType<typeof useConsoleStore>;
