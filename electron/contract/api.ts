/**
 * The API window.kiosk implements, derived from the method table (methods.ts): the schema registry
 * that gives each of the table's schema keys its TypeBox schema, and the types of each method's
 * arguments and result, of KioskApi and of its `trainer` and `app` parts.
 */
import type { Static, TSchema } from 'typebox';
import { AppIntentSchema, AppResultSchema, AppViewSchema } from './app';
import { ClassCsvSchema, ClassViewSchema, ConsoleActionSchema, ConsoleResultSchema, ConsoleSelectionSchema } from './console';
import { IntentSchema, SendResultSchema, SnapshotSchema, type Snapshot } from './kiosk';
import { KIOSK_METHODS, METHODS, type KioskMethod, type MethodTable } from './methods';
import { CardNameSchema } from './schema';
import {
  CenterDeskPatchSchema,
  CenterDeskResultSchema,
  SettingsPatchSchema,
  SettingsResultSchema,
  SettingsViewSchema,
  TrainerResultSchema,
  VirtualCardsViewSchema,
} from './trainer';

/** Every schema key the table names. */
type NamedSchemaKey = { [M in KioskMethod]: MethodTable[M]['result'] | MethodTable[M]['args'][number][1] }[KioskMethod];

/** The schema of each key the table names; a key without one here does not compile. */
export const SCHEMAS = {
  Snapshot: SnapshotSchema,
  ClassView: ClassViewSchema,
  ConsoleSelection: ConsoleSelectionSchema,
  ConsoleAction: ConsoleActionSchema,
  ConsoleResult: ConsoleResultSchema,
  ClassCsv: ClassCsvSchema,
  Intent: IntentSchema,
  SendResult: SendResultSchema,
  SettingsView: SettingsViewSchema,
  SettingsPatch: SettingsPatchSchema,
  SettingsResult: SettingsResultSchema,
  VirtualCardsView: VirtualCardsViewSchema,
  CardName: CardNameSchema,
  TrainerResult: TrainerResultSchema,
  AppView: AppViewSchema,
  AppIntent: AppIntentSchema,
  AppResult: AppResultSchema,
  CenterDeskPatch: CenterDeskPatchSchema,
  CenterDeskResult: CenterDeskResultSchema,
} as const satisfies { readonly [K in NamedSchemaKey]: TSchema };

export type SchemaKey = keyof typeof SCHEMAS;
/** The value type of a schema key. */
export type SchemaValue<K extends SchemaKey> = Static<(typeof SCHEMAS)[K]>;

type ArgTypes<A> = { -readonly [I in keyof A]: A[I] extends readonly [string, infer K extends SchemaKey] ? SchemaValue<K> : never };
/** A method's arguments, in order. */
export type MethodArgs<M extends KioskMethod> = ArgTypes<MethodTable[M]['args']>;
/** What a method answers. */
export type MethodResult<M extends KioskMethod> = SchemaValue<MethodTable[M]['result']>;

/** Each method's argument schemas, in order. */
export function argumentSchemas(method: KioskMethod): readonly TSchema[] {
  return METHODS[method].args.map(([, key]) => SCHEMAS[key]);
}

/** Result schema per method, for the receiving side of a reply. */
export const METHOD_RESULT_SCHEMAS = Object.fromEntries(KIOSK_METHODS.map((m) => [m, SCHEMAS[METHODS[m].result]])) as {
  readonly [M in KioskMethod]: (typeof SCHEMAS)[MethodTable[M]['result']];
};

type MethodsAt<P> = { [M in KioskMethod]: MethodTable[M]['path'] extends P ? M : never }[KioskMethod];
type NameOf<M extends KioskMethod> = MethodTable[M]['path'] extends readonly [...unknown[], infer N extends string] ? N : never;
/** A method as window.kiosk offers it. */
export type ApiCall<M extends KioskMethod> = (...args: MethodArgs<M>) => Promise<MethodResult<M>>;
type ApiPart<P> = { [M in MethodsAt<P> as NameOf<M>]: ApiCall<M> };

/** window.kiosk.trainer: the virtual cards. */
export type TrainerApi = ApiPart<readonly ['trainer', string]>;
/** window.kiosk.app: the smartphone-app simulator and the center desk. */
export type AppApi = ApiPart<readonly ['app', string]>;
/** window.kiosk.console: a classroom's trainer console. */
export type ConsoleApi = ApiPart<readonly ['console', string]>;

/** What `window.kiosk` implements: the methods at its top level, and the parts a trainer has. */
export interface KioskApi extends ApiPart<readonly [string]> {
  /** Which transport this is. */
  readonly host: 'electron' | 'browser';
  /** Subscribes to snapshots; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  /** Trainer: the virtual cards; absent where the host has none (e.g. a kiosk with a real reader only). */
  readonly trainer?: TrainerApi;
  /** Trainer: the smartphone-app simulator and the center's clock; present where `trainer` is. */
  readonly app?: AppApi;
  /** A classroom's console: present on the browser host (answered only for the console's page). */
  readonly console?: ConsoleApi;
}
