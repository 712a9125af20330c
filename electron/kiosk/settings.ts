/**
 * Kiosk settings a trainer changes (store chain, simulated clock, reader, center, timeouts,
 * language, maintenance windows), persisted as JSON in the data directory. The center key is kept
 * here but never leaves through the contract (SettingsView only says whether it is set).
 */
import fs from 'node:fs';
import path from 'node:path';
import Type, { type Static } from 'typebox';
import { check, ChainIdSchema, LanguageSchema } from '../contract/schema';
import { ClockSettingSchema, MaintenanceWindowSchema, TimeoutSettingsSchema, type ClockSetting, type SettingsPatch, type SettingsProblem, type SettingsResult, type SettingsView } from '../contract/trainer';
import type { Clock } from './ports';

const SettingsFileSchema = Type.Object(
  {
    chain: ChainIdSchema,
    clock: ClockSettingSchema,
    readerName: Type.String({ maxLength: 200 }),
    centerUrl: Type.String({ maxLength: 500 }),
    centerKey: Type.String({ maxLength: 500 }),
    timeouts: TimeoutSettingsSchema,
    language: LanguageSchema,
    maintenance: Type.Array(MaintenanceWindowSchema, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type KioskSettings = Static<typeof SettingsFileSchema>;

export const DEFAULT_SETTINGS: KioskSettings = {
  // Seven-Eleven offers both resets, so a fresh simulator shows the whole flow.
  chain: 'seven-eleven',
  clock: { mode: 'system' },
  readerName: '',
  centerUrl: '',
  centerKey: '',
  timeouts: { inactivitySeconds: 60, warningSeconds: 20, takeCardSeconds: 30 },
  language: 'ja',
  maintenance: [],
};

/** Values that pass the schema but do not fit together. */
export function settingsProblem(s: KioskSettings): SettingsProblem | null {
  if (s.timeouts.warningSeconds >= s.timeouts.inactivitySeconds) return 'warning-longer-than-inactivity';
  if (s.maintenance.some((w) => w.until <= w.from)) return 'maintenance-window-empty';
  if (s.centerUrl !== '') {
    try {
      const u = new URL(s.centerUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'center-url-invalid';
    } catch {
      return 'center-url-invalid';
    }
  }
  return null;
}

export function applyPatch(s: KioskSettings, patch: SettingsPatch): { ok: true; settings: KioskSettings } | { ok: false; problem: SettingsProblem } {
  const next: KioskSettings = { ...s };
  if (patch.chain !== undefined) next.chain = patch.chain;
  if (patch.clock !== undefined) next.clock = patch.clock;
  if (patch.readerName !== undefined) next.readerName = patch.readerName;
  if (patch.centerUrl !== undefined) next.centerUrl = patch.centerUrl;
  if (patch.centerKey !== undefined) next.centerKey = patch.centerKey;
  if (patch.timeouts !== undefined) next.timeouts = patch.timeouts;
  if (patch.language !== undefined) next.language = patch.language;
  if (patch.maintenance !== undefined) next.maintenance = patch.maintenance;
  const problem = settingsProblem(next);
  return problem === null ? { ok: true, settings: next } : { ok: false, problem };
}

export function viewOf(s: KioskSettings): SettingsView {
  const { centerKey, ...rest } = s;
  return { ...rest, centerKeySet: centerKey !== '' };
}

/** The simulated time for a clock setting at real time `realNow`. */
export function simulatedNow(clock: ClockSetting, realNow: number): number {
  switch (clock.mode) {
    case 'system':
      return realNow;
    case 'offset':
      return realNow + clock.offsetMs;
    case 'fixed':
      return clock.at;
  }
}

export class SettingsStore {
  #settings: KioskSettings;
  readonly #listeners = new Set<(s: KioskSettings) => void>();
  /** Why the file on disk was not used, when it was not (the defaults are used instead). */
  readonly loadProblem: string | null;

  /** `file` null keeps settings in memory only (tests, one-off runs). */
  constructor(
    private readonly file: string | null,
    initial: Partial<KioskSettings> = {},
  ) {
    let loaded: KioskSettings = { ...DEFAULT_SETTINGS, ...initial };
    let loadProblem: string | null = null;
    if (file !== null && fs.existsSync(file)) {
      try {
        const r = check(SettingsFileSchema, { ...DEFAULT_SETTINGS, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as object) });
        if (r.ok && settingsProblem(r.value) === null) loaded = r.value;
        else loadProblem = `${file}: settings do not fit the schema; using defaults`;
      } catch (err) {
        loadProblem = `${file}: ${(err as Error).message}; using defaults`;
      }
    }
    this.#settings = loaded;
    this.loadProblem = loadProblem;
  }

  get(): KioskSettings {
    return this.#settings;
  }

  view(): SettingsView {
    return viewOf(this.#settings);
  }

  update(patch: SettingsPatch): SettingsResult {
    const r = applyPatch(this.#settings, patch);
    if (!r.ok) return r;
    this.#settings = r.settings;
    this.#save();
    for (const l of this.#listeners) l(this.#settings);
    return { ok: true, settings: this.view() };
  }

  onChange(listener: (s: KioskSettings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a settings file. */
  #save(): void {
    if (this.file === null) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    // 0600: the file holds the center key.
    fs.writeFileSync(tmp, JSON.stringify(this.#settings, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

/** The simulated clock the settings describe, read live so a trainer's change applies at once. */
export class SettingsClock implements Clock {
  constructor(
    private readonly store: SettingsStore,
    private readonly realNow: () => number = Date.now,
  ) {}

  now(): number {
    return simulatedNow(this.store.get().clock, this.realNow());
  }

  /** For snapshots: the mode, the simulated now and its offset from real time. */
  describe(): { mode: ClockSetting['mode']; now: number; offsetMs: number } {
    const real = this.realNow();
    const now = simulatedNow(this.store.get().clock, real);
    return { mode: this.store.get().clock.mode, now, offsetMs: now - real };
  }
}
