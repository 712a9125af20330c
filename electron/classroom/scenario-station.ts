/**
 * The scenario set-up's station settings over the kiosk's SettingsStore (chain, clock, language and
 * maintenance apply at once, language from the next session). Faults need the host: the reader name
 * and center URL take effect at the kiosk's next start, so a host that offers faults passes a switch
 * that makes them happen now; without one a scenario that needs a fault is refused.
 */
import type { SettingsStore } from '../kiosk/settings';
import type { CenterFault, ReaderFault, ScenarioStation, StationSettings } from './scenario-setup';

export interface StationFaults {
  set(faults: { readonly reader: ReaderFault; readonly center: CenterFault }): Promise<void>;
}

export class SettingsStation implements ScenarioStation {
  constructor(
    private readonly store: SettingsStore,
    private readonly faults?: StationFaults,
  ) {}

  async apply(s: StationSettings): Promise<void> {
    const wantsFault = s.faults.reader !== 'none' || s.faults.center !== 'none';
    if (wantsFault && this.faults === undefined) throw new Error('this station cannot simulate a missing reader or an unreachable center');
    const r = this.store.update({ chain: s.chain, clock: s.clock, language: s.language, maintenance: [...s.maintenance] });
    if (!r.ok) throw new Error(`the kiosk refused the settings (${r.problem})`);
    await this.faults?.set(s.faults);
  }
}
