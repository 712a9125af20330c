/**
 * The trainer's part of the window.kiosk contract: the kiosk's settings, the simulator's virtual
 * cards, and the reservation center's clock and maintenance windows (the center desk).
 */
import Type, { type Static } from 'typebox';
import { ChainIdSchema, check, Closed, EpochMs, LanguageSchema, type Checked } from './schema';

// ---------------------------------------------------------------------------------------------
// Trainer settings

export const ClockSettingSchema = Type.Union([
  Closed({ mode: Type.Literal('system') }),
  /** Real time shifted by `offsetMs` (runs). */
  Closed({ mode: Type.Literal('offset'), offsetMs: Type.Integer() }),
  /** Frozen at `at` (epoch ms). */
  Closed({ mode: Type.Literal('fixed'), at: Type.Integer({ minimum: 0 }) }),
]);
export type ClockSetting = Static<typeof ClockSettingSchema>;

export const TimeoutSettingsSchema = Closed({
  /** Inactivity on an ordinary screen before the session ends. */
  inactivitySeconds: Type.Integer({ minimum: 10, maximum: 600 }),
  /** The last part of that, during which the countdown is shown prominently. */
  warningSeconds: Type.Integer({ minimum: 3, maximum: 120 }),
  /** How long the take-card screen waits for the card to be removed before going back to the top. */
  takeCardSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
});
export type TimeoutSettings = Static<typeof TimeoutSettingsSchema>;

export const MaintenanceWindowSchema = Closed({
  from: Type.Integer({ minimum: 0 }),
  until: Type.Integer({ minimum: 0 }),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Settings as the trainer sees them. The center key is never sent out, only whether it is set. */
export const SettingsViewSchema = Closed({
  chain: ChainIdSchema,
  clock: ClockSettingSchema,
  /** PC/SC reader name; '' = the first reader that has a card (or the first reader). */
  readerName: Type.String({ maxLength: 200 }),
  /** Reservation center base URL; '' = the embedded center on loopback. */
  centerUrl: Type.String({ maxLength: 500 }),
  centerKeySet: Type.Boolean(),
  timeouts: TimeoutSettingsSchema,
  /** Language a new session starts in. */
  language: LanguageSchema,
  maintenance: Type.Array(MaintenanceWindowSchema, { maxItems: 50 }),
});
export type SettingsView = Static<typeof SettingsViewSchema>;

/** A change to settings: any subset. `centerKey: ''` clears the key. */
export const SettingsPatchSchema = Closed({
  chain: Type.Optional(ChainIdSchema),
  clock: Type.Optional(ClockSettingSchema),
  readerName: Type.Optional(Type.String({ maxLength: 200 })),
  centerUrl: Type.Optional(Type.String({ maxLength: 500 })),
  centerKey: Type.Optional(Type.String({ maxLength: 500 })),
  timeouts: Type.Optional(TimeoutSettingsSchema),
  language: Type.Optional(LanguageSchema),
  maintenance: Type.Optional(Type.Array(MaintenanceWindowSchema, { maxItems: 50 })),
});
export type SettingsPatch = Static<typeof SettingsPatchSchema>;

/**
 * When a changed setting reaches the kiosk, as the core applies it (kiosk-setting-effects.test.ts
 * holds the core to this table; the trainer panel shows it next to each setting):
 *  - `now`: the very next snapshot and touch use it (the menus offer by the new chain, the clock
 *    moves, a maintenance window refuses the next step);
 *  - `next-countdown`: a running inactivity countdown keeps its length; the next screen or touch
 *    starts one with the new length;
 *  - `next-session`: the citizen in front of the kiosk keeps theirs; the next one gets it (applies
 *    at once when nobody is using the kiosk);
 *  - `next-start`: read when the simulator starts.
 */
export const SettingEffectSchema = Type.Enum(['now', 'next-countdown', 'next-session', 'next-start']);
export type SettingEffect = Static<typeof SettingEffectSchema>;

export const SETTING_EFFECTS: Readonly<Record<keyof SettingsPatch, SettingEffect>> = {
  chain: 'now',
  clock: 'now',
  maintenance: 'now',
  timeouts: 'next-countdown',
  language: 'next-session',
  readerName: 'next-start',
  centerUrl: 'next-start',
  centerKey: 'next-start',
};

/** Why `updateSettings` refused a patch (the schema passed but the values do not fit together). */
export const SettingsProblemSchema = Type.Enum(['warning-longer-than-inactivity', 'maintenance-window-empty', 'center-url-invalid']);
export type SettingsProblem = Static<typeof SettingsProblemSchema>;

export const SettingsResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), settings: SettingsViewSchema }),
  Closed({ ok: Type.Literal(false), problem: SettingsProblemSchema }),
]);
export type SettingsResult = Static<typeof SettingsResultSchema>;

// ---------------------------------------------------------------------------------------------
// Trainer: the simulator's virtual cards (placing one on the reader stands in for the citizen's hand)

export const TrayCardSchema = Closed({
  /** The card file's name, e.g. "adult", "under15-2". */
  name: Type.String({ maxLength: 100 }),
  /** The persona it was made from (native/card/personas.ts). */
  persona: Type.String({ maxLength: 100 }),
  /** The holder's (fictitious) name, as on the card face. */
  holderName: Type.String({ maxLength: 200 }),
});
export type TrayCard = Static<typeof TrayCardSchema>;

export const VirtualCardsViewSchema = Closed({
  /** False when the virtual reader cannot be used (pcscd or vpcd missing): placing will fail. */
  available: Type.Boolean(),
  cards: Type.Array(TrayCardSchema, { maxItems: 500 }),
  /** The card now on the kiosk's virtual reader, if one of these. */
  placed: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
});
export type VirtualCardsView = Static<typeof VirtualCardsViewSchema>;

export const TrainerResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), cards: VirtualCardsViewSchema }),
  Closed({ ok: Type.Literal(false), problem: Type.Enum(['no-such-card', 'reader-unavailable', 'failed']) }),
]);
export type TrainerResult = Static<typeof TrainerResultSchema>;

// ---------------------------------------------------------------------------------------------
// Trainer: the center desk.
// The reservation center as a trainer sets it: its clock (bookings expire 24 h after completion by
// this clock, not the kiosk's) and its maintenance windows (the app refuses to book during one).

export const CenterDeskViewSchema = Closed({
  /** The center's time now (epoch ms) and its offset from real time. */
  now: EpochMs,
  offsetMs: Type.Integer(),
  maintenance: Type.Array(MaintenanceWindowSchema, { maxItems: 100 }),
});
export type CenterDeskView = Static<typeof CenterDeskViewSchema>;

/** Ten years either way: what the center accepts. */
const CENTER_OFFSET_MAX = 315_576_000_000;

export const CenterDeskPatchSchema = Closed({
  offsetMs: Type.Optional(Type.Integer({ minimum: -CENTER_OFFSET_MAX, maximum: CENTER_OFFSET_MAX })),
  maintenance: Type.Optional(Type.Array(MaintenanceWindowSchema, { maxItems: 50 })),
});
export type CenterDeskPatch = Static<typeof CenterDeskPatchSchema>;

export const CenterDeskResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), center: CenterDeskViewSchema }),
  /** `unavailable`: this host has no trainer access to the center (an external one without its admin token), or it is down. */
  Closed({ ok: Type.Literal(false), problem: Type.Enum(['unavailable', 'maintenance-window-empty']) }),
]);
export type CenterDeskResult = Static<typeof CenterDeskResultSchema>;

export const checkSettingsPatch = (value: unknown): Checked<SettingsPatch> => check(SettingsPatchSchema, value);
