/**
 * What carries out the window.kiosk methods on a host, derived from the method table: one backend
 * per facility (the kiosk core, the virtual cards, the app simulator), each with the functions the
 * table names, and the one dispatcher both transports use (Electron IPC in electron/main/kiosk-ipc.ts,
 * the browser host's WebSocket in electron/host/kiosk-ws.ts).
 *
 * Both transports check, in this order, before dispatching: who is asking (their own checks),
 * whether the method is for the caller's audience (`audienceAllows`), and the arguments
 * (`checkArguments`; the WebSocket checks them as part of the whole message). The backends
 * validate again: they trust no transport.
 */
import type { TSchema } from 'typebox';
import { argumentSchemas, type MethodArgs, type MethodResult } from './api';
import type { Snapshot } from './kiosk';
import { METHODS, type Audience, type Facility, type KioskMethod, type MethodTable } from './methods';
import { check, type ContractProblem } from './schema';

type MethodsOf<F extends Facility> = { [M in KioskMethod]: MethodTable[M]['facility'] extends F ? M : never }[KioskMethod];
/** A method as its backend implements it: checked arguments in, the result out (as a promise where the table says `async`). */
export type BackendFunction<M extends KioskMethod> = (
  ...args: MethodArgs<M>
) => MethodTable[M]['async'] extends true ? Promise<MethodResult<M>> : MethodResult<M>;
/** A facility's backend: the function the table names for each of its methods. */
export type FacilityBackend<F extends Facility> = { [M in MethodsOf<F> as MethodTable[M]['backend']]: BackendFunction<M> };

/** What the transports need from the core (KioskCore implements it): its methods and the snapshot push. */
export interface KioskBackend extends FacilityBackend<'core'> {
  onSnapshot(listener: (s: Snapshot) => void): () => void;
}
/** The simulator's virtual cards, where the host has them (the browser host does). */
export type TrainerBackend = FacilityBackend<'trainer'>;
/**
 * The smartphone-app simulator and the center's clock, where the host has them (AppSimulator,
 * electron/host/app-simulator.ts). It validates what it is sent again, as the core does.
 */
export type AppBackend = FacilityBackend<'app'>;
/** A classroom's console (electron/classroom/console.ts), where the host runs one. */
export type ConsoleBackend = FacilityBackend<'console'>;

/** Every facility a host has; the core always. */
export interface Backends {
  readonly core: KioskBackend;
  readonly trainer?: TrainerBackend | undefined;
  readonly app?: AppBackend | undefined;
  readonly console?: ConsoleBackend | undefined;
}

/** Whether a caller that may use `audiences` may call `method`. */
export function audienceAllows(method: KioskMethod, audiences: ReadonlySet<Audience>): boolean {
  return audiences.has(METHODS[method].audience);
}

/** Checks a call's arguments against the method's schemas: count first, then each value. */
export function checkArguments(method: KioskMethod, args: readonly unknown[]): { ok: true } | { ok: false; problems: ContractProblem[] } {
  const schemas: readonly TSchema[] = argumentSchemas(method);
  if (args.length !== schemas.length) return { ok: false, problems: [{ path: '', keyword: 'arguments' }] };
  const problems: ContractProblem[] = [];
  schemas.forEach((schema, i) => {
    const r = check(schema, args[i]);
    if (!r.ok) problems.push(...r.problems.map((p) => ({ path: `/${i}${p.path}`, keyword: p.keyword })));
  });
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** What dispatching a call gave: the backend's answer (a value or a promise), or the facility the host lacks. */
export type Dispatched = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly missing: Exclude<Facility, 'core'> };

/**
 * Calls the backend function the table names for `method`, with arguments already checked. The
 * answer comes back as the backend gave it: a call to the core completes without an await (the
 * WebSocket transport counts its calls in flight on that).
 */
export function dispatch(method: KioskMethod, args: readonly unknown[], backends: Backends): Dispatched {
  const { facility, backend } = METHODS[method];
  const target = backends[facility] as unknown as Readonly<Record<string, (...a: unknown[]) => unknown>> | undefined;
  if (target === undefined) return { ok: false, missing: facility as Exclude<Facility, 'core'> };
  return { ok: true, value: target[backend]!(...args) };
}
