/**
 * What the settings panel says after a change: when it takes effect (the contract's SETTING_EFFECTS,
 * which the core is held to) or why it was refused. Pure, so it is tested without a DOM.
 */
import { SETTING_EFFECTS, type SettingEffect, type SettingsPatch, type SettingsProblem } from '@contract/trainer';

/** From soonest to latest. */
const ORDER: readonly SettingEffect[] = ['now', 'next-countdown', 'next-session', 'next-start'];

/** When all of a patch has taken effect: the latest of its settings' effects. */
export function effectOf(patch: SettingsPatch): SettingEffect {
  let latest: SettingEffect = 'now';
  for (const key of Object.keys(patch) as (keyof SettingsPatch)[]) {
    const e = SETTING_EFFECTS[key];
    if (ORDER.indexOf(e) > ORDER.indexOf(latest)) latest = e;
  }
  return latest;
}

/** The panel's status line after the last change. */
export type Notice =
  | { readonly tone: 'ok'; readonly effect: SettingEffect }
  | { readonly tone: 'error'; readonly problem: SettingsProblem | 'failed' | 'center-unavailable' };
