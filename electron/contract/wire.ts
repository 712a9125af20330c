/**
 * WebSocket framing of the window.kiosk contract (browser host): one JSON message per frame, the
 * call message of every method (derived from the method table, methods.ts), the size limit both
 * transports share, and the checks of what arrives.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { SCHEMAS, type SchemaValue } from './api';
import { SnapshotSchema } from './kiosk';
import { KIOSK_METHODS, METHODS, type Facility, type KioskMethod, type MethodTable } from './methods';
import { check, Closed, type Checked } from './schema';

/** The path the browser host serves the WebSocket on. */
export const KIOSK_WS_PATH = '/kiosk';

const CallId = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A call of method `M`: its arguments as named fields, e.g. `{ type: 'call', id: 7, method: 'send', intent }`. */
export type CallMessage<M extends KioskMethod> = { type: 'call'; id: number; method: M } & {
  [A in MethodTable[M]['args'][number] as A[0]]: SchemaValue<A[1]>;
};

/** Client → server: a call of any method. */
export type ClientMessage = { [M in KioskMethod]: CallMessage<M> }[KioskMethod];

/** Client → server, one closed object per method of the table. */
export const ClientMessageSchema: TSchema = Type.Union(
  KIOSK_METHODS.map((method) =>
    Closed({
      type: Type.Literal('call'),
      id: CallId,
      method: Type.Literal(method),
      ...Object.fromEntries(METHODS[method].args.map(([name, key]) => [name, SCHEMAS[key]])),
    }),
  ),
);

/** A call message's arguments, in the method's order. */
export function callArguments(msg: ClientMessage): unknown[] {
  return METHODS[msg.method].args.map(([name]) => (msg as unknown as Record<string, unknown>)[name]);
}

/** The call message carrying `args` to `method`. */
export function callMessage(id: number, method: KioskMethod, args: readonly unknown[]): ClientMessage {
  return { type: 'call', id, method, ...Object.fromEntries(METHODS[method].args.map(([name], i) => [name, args[i]])) } as ClientMessage;
}

/**
 * `UNSUPPORTED`: the host has no such facility (e.g. no virtual cards, no app simulator).
 * `NOT_ALLOWED`: the method is not for this connection's audience (a citizen's page calling a
 * trainer's method, where the host tells its pages apart).
 * `RATE_LIMITED`: the connection sent more than the host takes (too many messages in a short
 * time, or too many calls still running); the call was not carried out, nothing was recorded.
 */
export const WireErrorCodeSchema = Type.Enum(['INVALID_MESSAGE', 'INTERNAL', 'UNSUPPORTED', 'NOT_ALLOWED', 'RATE_LIMITED']);
export type WireErrorCode = Static<typeof WireErrorCodeSchema>;

/** What an UNSUPPORTED reply says, per missing facility. */
export const UNSUPPORTED_MESSAGES: Readonly<Record<Exclude<Facility, 'core'>, string>> = {
  trainer: 'this host has no virtual cards',
  app: 'this host has no app simulator',
  console: 'this host runs no classroom',
};

/** Server → client. `value` is checked by the client against the method's result schema. */
export const ServerMessageSchema = Type.Union([
  Closed({ type: Type.Literal('snapshot'), snapshot: SnapshotSchema }),
  Closed({ type: Type.Literal('reply'), id: CallId, ok: Type.Literal(true), value: Type.Unknown() }),
  Closed({
    type: Type.Literal('reply'),
    /** null when the request was too malformed to have an id. */
    id: Type.Union([CallId, Type.Null()]),
    ok: Type.Literal(false),
    error: Closed({ code: WireErrorCodeSchema, message: Type.String({ maxLength: 500 }) }),
  }),
]);
export type ServerMessage = Static<typeof ServerMessageSchema>;

/** Largest WebSocket / IPC message either side accepts (a snapshot is ~1 KiB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export const checkClientMessage = (value: unknown): Checked<ClientMessage> => check(ClientMessageSchema, value) as Checked<ClientMessage>;
export const checkServerMessage = (value: unknown): Checked<ServerMessage> => check(ServerMessageSchema, value);

/** Parses one text frame as JSON, refusing oversized input before parsing it. */
export function decodeFrame(text: string): Checked<unknown> {
  if (text.length > MAX_MESSAGE_BYTES) return { ok: false, problems: [{ path: '', keyword: 'maxLength' }] };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problems: [{ path: '', keyword: 'json' }] };
  }
}
