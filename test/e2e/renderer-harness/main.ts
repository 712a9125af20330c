/**
 * Test harness: the real renderer (App, screens, styles, i18n) against the fake window.kiosk, so a
 * browser test can show any snapshot and measure the screen a citizen would see. Served by Vite
 * only during tests (renderer-layout.spec.ts); never part of the renderer build.
 */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from '../../../renderer/src/App.vue';
import { createKioskI18n } from '../../../renderer/src/i18n';
import { useKioskStore } from '../../../renderer/src/stores/kiosk';
import '../../../renderer/src/styles/kiosk.css';
import { FakeKioskApi } from '../../fakes/renderer-kiosk';

// `?cards=N` stocks the fake tray with N cards (a full tray, as the browser host has), else its two.
const stock = Number(new URLSearchParams(location.search).get('cards') ?? 0);
const api = new FakeKioskApi().withTrainer(
  stock > 0 ? Array.from({ length: stock }, (_, i) => ({ name: `card-${i + 1}`, persona: 'adult', holderName: `番号 花子${i + 1}` })) : undefined,
);
const pinia = createPinia();
createApp(App).use(pinia).use(createKioskI18n()).mount('#app');
void useKioskStore(pinia).connect(api);
(window as unknown as { kioskFake: FakeKioskApi }).kioskFake = api;

/** What renderer-layout.spec.ts checks, measured in the page after fonts have loaded. */
export interface LayoutReport {
  readonly pageOverflow: boolean;
  readonly clipped: string[];
  readonly smallTargets: string[];
  readonly userSelect: string;
  readonly touchAction: string;
}

async function measureLayout(minTarget: number): Promise<LayoutReport> {
  await document.fonts.ready;
  const doc = document.documentElement;
  const pageOverflow = doc.scrollHeight > window.innerHeight + 1 || doc.scrollWidth > window.innerWidth + 1;
  const clipped: string[] = [];
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('main, button, p, h1, h2, li'))) {
    if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
      clipped.push(`${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 40)}`);
    }
  }
  const smallTargets: string[] = [];
  for (const b of Array.from(document.querySelectorAll('button'))) {
    const r = b.getBoundingClientRect();
    // The trainer's card tray is not for citizens; its edge tab is kept slim so it covers nothing.
    const min = b.closest('[data-trainer]') === null ? minTarget : 44;
    if (r.width < min || r.height < min) smallTargets.push(`${(b.textContent ?? '').trim()} ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  const body = getComputedStyle(document.body);
  return { pageOverflow, clipped, smallTargets, userSelect: body.userSelect, touchAction: body.touchAction };
}
(window as unknown as { measureLayout: typeof measureLayout }).measureLayout = measureLayout;
