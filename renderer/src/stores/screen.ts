import { defineStore } from 'pinia';

/** Placeholder store until the core's session snapshots drive the screens (kiosk issue). */
export const useScreenStore = defineStore('screen', {
  state: () => ({ screen: 'top' as const }),
});
