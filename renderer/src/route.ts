/**
 * The renderer's pages: the kiosk (`#/`, what a citizen sees) and the smartphone-app simulator
 * (`#/app`, a trainer tool, shown only where window.kiosk has the trainer's `app`) by a hash route,
 * which works the same from the browser host and from Electron's app:// origin with no server help;
 * and a classroom's trainer console, which a classroom host serves at its own path (`/console/`).
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { isConsolePath } from '@contract/ws-client';

export type Page = 'kiosk' | 'app' | 'console';

export const APP_ROUTE = '#/app';
export const KIOSK_ROUTE = '#/';

export function pageOf(hash: string): Page {
  return hash === APP_ROUTE || hash.startsWith(`${APP_ROUTE}/`) || hash.startsWith(`${APP_ROUTE}?`) ? 'app' : 'kiosk';
}

/** The page a whole address names: the console by its path, any other page by its hash route. */
export function pageAt(loc: { readonly pathname: string; readonly hash: string }): Page {
  return isConsolePath(loc.pathname) ? 'console' : pageOf(loc.hash);
}

/** The page the location names, kept up to date. */
export function usePage(): Ref<Page> {
  const page = ref<Page>(typeof location === 'undefined' ? 'kiosk' : pageAt(location));
  const update = () => (page.value = pageAt(location));
  onMounted(() => {
    update();
    window.addEventListener('hashchange', update);
  });
  onBeforeUnmount(() => window.removeEventListener('hashchange', update));
  return page;
}
