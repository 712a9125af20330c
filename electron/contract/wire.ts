/**
 * WebSocket framing of the window.kiosk contract (browser host): one JSON message per frame, the
 * size limit both transports share, and the checks of what arrives.
 */
import Type, { type Static } from 'typebox';
import { AppIntentSchema } from './app';
import { IntentSchema, SnapshotSchema } from './kiosk';
import { CardNameSchema, check, Closed, type Checked } from './schema';
import { CenterDeskPatchSchema, SettingsPatchSchema } from './trainer';


/** The path the browser host serves the WebSocket on. */
export const KIOSK_WS_PATH = '/kiosk';

const CallId = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Client → server. */
export const ClientMessageSchema = Type.Union([
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getSnapshot') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('send'), intent: IntentSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getSettings') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('updateSettings'), patch: SettingsPatchSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('listCards') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('placeCard'), name: CardNameSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('removeCard') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getAppState') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('sendApp'), intent: AppIntentSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getCenter') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('updateCenter'), patch: CenterDeskPatchSchema }),
]);
export type ClientMessage = Static<typeof ClientMessageSchema>;

/**
 * `UNSUPPORTED`: the host has no such facility (e.g. no virtual cards, no app simulator).
 * `RATE_LIMITED`: the connection sent more than the host takes (too many messages in a short
 * time, or too many calls still running); the call was not carried out, nothing was recorded.
 */
export const WireErrorCodeSchema = Type.Enum(['INVALID_MESSAGE', 'INTERNAL', 'UNSUPPORTED', 'RATE_LIMITED']);
export type WireErrorCode = Static<typeof WireErrorCodeSchema>;

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

export const checkClientMessage = (value: unknown): Checked<ClientMessage> => check(ClientMessageSchema, value);
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
