/**
 * The API window.kiosk implements, by audience.
 */
import type { TSchema } from 'typebox';
import { AppResultSchema, AppViewSchema, type AppIntent, type AppResult, type AppView } from './app';
import { KIOSK_IPC } from './ipc-channels';
import { SendResultSchema, SnapshotSchema, type Intent, type SendResult, type Snapshot } from './kiosk';
import type { Same } from './schema';
import { assertSame } from './schema';
import {
  CenterDeskResultSchema,
  SettingsResultSchema,
  SettingsViewSchema,
  TrainerResultSchema,
  VirtualCardsViewSchema,
  type CenterDeskPatch,
  type CenterDeskResult,
  type SettingsPatch,
  type SettingsResult,
  type SettingsView,
  type TrainerResult,
  type VirtualCardsView,
} from './trainer';

export interface KioskApi {
  /** Which transport this is. */
  readonly host: 'electron' | 'browser';
  /** The current snapshot (also pushed through onSnapshot). */
  getSnapshot(): Promise<Snapshot>;
  /** Sends one intent; the answer says whether the core took it. The new state arrives as a snapshot. */
  send(intent: Intent): Promise<SendResult>;
  /** Subscribes to snapshots; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  /** Trainer: current settings. */
  getSettings(): Promise<SettingsView>;
  /** Trainer: change settings; each takes effect as SETTING_EFFECTS says (at once, or from the next session…). */
  updateSettings(patch: SettingsPatch): Promise<SettingsResult>;
  /** Trainer: the virtual cards; absent where the host has none (e.g. a kiosk with a real reader only). */
  readonly trainer?: TrainerApi;
  /** Trainer: the smartphone-app simulator and the center's clock; present where `trainer` is. */
  readonly app?: AppApi;
}

export interface AppApi {
  /** The phone's booking session as it stands. */
  getState(): Promise<AppView>;
  /** One step of the app; the answer is the state after it (the card and center have answered). */
  send(intent: AppIntent): Promise<AppResult>;
  /** The reservation center's clock and maintenance windows. */
  getCenter(): Promise<CenterDeskResult>;
  updateCenter(patch: CenterDeskPatch): Promise<CenterDeskResult>;
}

export interface TrainerApi {
  listCards(): Promise<VirtualCardsView>;
  /** Places the named virtual card on the kiosk's reader (taking off any other first). */
  placeCard(name: string): Promise<TrainerResult>;
  /** Takes the virtual card off the reader. */
  removeCard(): Promise<TrainerResult>;
}

/** The methods callable over a transport (everything but onSnapshot, which is a push). */
export type KioskMethod =
  | 'getSnapshot'
  | 'send'
  | 'getSettings'
  | 'updateSettings'
  | 'listCards'
  | 'placeCard'
  | 'removeCard'
  | 'getAppState'
  | 'sendApp'
  | 'getCenter'
  | 'updateCenter';

/** Electron IPC channel names (preload ↔ main); kept in their own import-free file for the preload. */
assertSame<Same<keyof typeof KIOSK_IPC, KioskMethod | 'snapshot'>>();

/** Result schema per method, for the receiving side of a reply. */
export const METHOD_RESULT_SCHEMAS = {
  getSnapshot: SnapshotSchema,
  send: SendResultSchema,
  getSettings: SettingsViewSchema,
  updateSettings: SettingsResultSchema,
  listCards: VirtualCardsViewSchema,
  placeCard: TrainerResultSchema,
  removeCard: TrainerResultSchema,
  getAppState: AppViewSchema,
  sendApp: AppResultSchema,
  getCenter: CenterDeskResultSchema,
  updateCenter: CenterDeskResultSchema,
} as const satisfies Record<KioskMethod, TSchema>;
