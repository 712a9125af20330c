/**
 * The classroom's scenarios for the console: the built-in ones and a trainer's folder, and how one
 * is set up on a station (scenario-setup.ts over the station's card folder, the shared center and
 * the station's settings) and then judged from the station's events and its card.
 *
 * The exercise's card is always named `exercise` in the station's tray, so assigning scenario after
 * scenario replaces it instead of filling the tray. A station cannot fake a missing reader or an
 * unreachable center yet: those scenarios are refused at assignment with the set-up's reason.
 */
import { AdminCenterClient, AppCenterClient, KioskCenterClient } from '../center/client';
import type { ScenarioSummary } from '../contract/console';
import type { SettingsStore } from '../kiosk/settings';
import { observeCard } from './card-observation';
import type { ScenarioCatalog } from './console';
import type { Judgement } from './exercise';
import { loadScenarios, type Scenario } from './scenario';
import { CardFolder } from './scenario-cards';
import { HttpScenarioCenter } from './scenario-center';
import { judgeScenario } from './scenario-judge';
import { setUpScenario } from './scenario-setup';
import { SettingsStation } from './scenario-station';
import type { Station } from './station';

export const EXERCISE_CARD = 'exercise';

/** What setting a scenario up needs of the classroom. */
export interface ScenarioRoom {
  cardDir(n: number): string;
  settings(n: number): SettingsStore;
  readonly center: { readonly url: string; readonly adminToken: string; readonly appToken: string };
  /** A kiosk key of the center's own ("another store's kiosk"), for used and interrupted reservations. */
  readonly setupKioskToken: string;
}

export function scenarioCatalog(scenarios: readonly Scenario[], room: ScenarioRoom): ScenarioCatalog {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const summaries: ScenarioSummary[] = scenarios.map((s) => ({ id: s.id, title: s.title }));
  const center = new HttpScenarioCenter({
    admin: new AdminCenterClient({ baseUrl: room.center.url, token: room.center.adminToken }),
    app: new AppCenterClient({ baseUrl: room.center.url, token: room.center.appToken }),
    kiosk: new KioskCenterClient({ baseUrl: room.center.url, token: room.setupKioskToken }),
  });
  return {
    list: () => summaries,
    async prepare(station: Station, id: string) {
      const scenario = byId.get(id);
      if (scenario === undefined) return null;
      // A card on the reader runs in its slot daemon, which holds its file: take it off first.
      await station.tray.removeCard();
      const cards = new CardFolder(room.cardDir(station.n));
      const setup = await setUpScenario(scenario, { cards, center, station: new SettingsStation(room.settings(station.n)) }, { cardName: EXERCISE_CARD });
      await station.tray.listCards();
      const file = cards.file(EXERCISE_CARD);
      const judge = async (events: Parameters<typeof judgeScenario>[1]['events']): Promise<Judgement | null> => {
        const card = await observeCard(file, scenario.success);
        const v = judgeScenario(scenario, { startedAt: setup.startedAt, now: Date.now(), events, cardAtStart: setup.cardAtStart, ...card });
        if (v.outcome === 'in-progress') return null;
        return { outcome: v.outcome, reason: v.guidance === undefined ? v.reason : `${v.reason}:${v.guidance}` };
      };
      return { task: scenario.task, judge };
    },
  };
}

/** The built-in scenarios and a trainer's folder (refused as a whole on any bad file, with every problem). */
export function loadClassroomScenarios(...dirs: string[]): Scenario[] {
  return loadScenarios(...dirs).map((l) => l.scenario);
}
