/**
 * One component per screen id of the contract (a new id fails to compile until it has one): the
 * kiosk page draws the current screen with it, and the classroom console draws each station's tile
 * with the very same components.
 */
import type { Component } from 'vue';
import type { ScreenId } from '@contract/kiosk';
import TopScreen from './TopScreen.vue';
import AdminMenuScreen from './AdminMenuScreen.vue';
import CardMenuScreen from './CardMenuScreen.vue';
import NoticeScreen from './NoticeScreen.vue';
import PlaceCardScreen from './PlaceCardScreen.vue';
import ProgressScreen from './ProgressScreen.vue';
import OtherPasswordScreen from './OtherPasswordScreen.vue';
import NewPasswordScreen from './NewPasswordScreen.vue';
import DoneScreen from './DoneScreen.vue';
import TakeCardScreen from './TakeCardScreen.vue';
import GuidanceScreen from './GuidanceScreen.vue';

export const SCREENS: Readonly<Record<ScreenId, Component>> = {
  top: TopScreen,
  'admin-menu': AdminMenuScreen,
  'card-menu': CardMenuScreen,
  notice: NoticeScreen,
  'place-card': PlaceCardScreen,
  progress: ProgressScreen,
  'other-password': OtherPasswordScreen,
  'new-password': NewPasswordScreen,
  done: DoneScreen,
  'take-card': TakeCardScreen,
  guidance: GuidanceScreen,
};
