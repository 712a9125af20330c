/**
 * The renderer's two pages: the kiosk (`#/`, what a citizen sees) and the smartphone-app simulator
 * (`#/app`, a trainer tool, shown only where window.kiosk has the trainer's `app`). A hash route:
 * it works the same from the browser host and from Electron's app:// origin, with no server help.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export type Page = 'kiosk' | 'app';

export const APP_ROUTE = '#/app';
export const KIOSK_ROUTE = '#/';

export function pageOf(hash: string): Page {
  return hash === APP_ROUTE || hash.startsWith(`${APP_ROUTE}/`) || hash.startsWith(`${APP_ROUTE}?`) ? 'app' : 'kiosk';
}

/** The page the location's hash names, kept up to date. */
export function usePage(): Ref<Page> {
  const page = ref<Page>(typeof location === 'undefined' ? 'kiosk' : pageOf(location.hash));
  const update = () => (page.value = pageOf(location.hash));
  onMounted(() => {
    update();
    window.addEventListener('hashchange', update);
  });
  onBeforeUnmount(() => window.removeEventListener('hashchange', update));
  return page;
}
