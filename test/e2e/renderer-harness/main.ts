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

/** What renderer-layout.spec.ts checks (its copy of this interface), measured after fonts have loaded. */
export interface LayoutReport {
  /** Screen px per stage px, measured (the stage's drawn width over its laid-out width). */
  readonly scale: number;
  /** The stage's laid-out size (stage px). */
  readonly stage: { readonly width: number; readonly height: number };
  /** The stage covers the whole window (no letterbox bands, nothing drawn past it). */
  readonly coversViewport: boolean;
  readonly pageOverflow: boolean;
  readonly clipped: string[];
  /** Text or a button drawn (partly) outside the window (what a `data-scroll-area` holds excepted). */
  readonly outside: string[];
  /** Buttons a finger cannot reach: something else is drawn over their middle. */
  readonly covered: string[];
  /** Touch targets smaller than the minimum at the 1280×800-equivalent scale (size ÷ scale). */
  readonly smallTargets: string[];
  /** Text drawn smaller than recordDesignFonts() saw it (null when nothing was recorded). */
  readonly smallerText: string[] | null;
  /** How many text elements were compared with the recording. */
  readonly comparedText: number;
  readonly userSelect: string;
  readonly touchAction: string;
}

function describe(el: Element): string {
  const cls = typeof el.className === 'string' ? el.className : '';
  return `${el.tagName.toLowerCase()}.${cls}: ${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}`;
}

function stageOf(): HTMLElement {
  const stage = document.querySelector<HTMLElement>('[data-kiosk-stage]');
  if (stage === null) throw new Error('no kiosk stage in the page');
  return stage;
}

/** Laid out and not hidden (assistive-only text, 1 px boxes, is not drawn for anyone to read). */
function drawn(el: Element): boolean {
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) return false;
  if (el.closest('.visually-hidden, [hidden]') !== null) return false;
  return getComputedStyle(el).visibility !== 'hidden';
}

/** Elements with text of their own (not only in children): what a citizen reads. */
function textElements(root: Element): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('*')).filter(
    (el) => Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '') && drawn(el),
  );
}

function settled(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** Shows a snapshot and waits until the renderer has drawn it. */
async function showSnapshot(screen: Parameters<FakeKioskApi['show']>[0], overrides: Parameters<FakeKioskApi['show']>[1]): Promise<void> {
  api.show(screen, overrides);
  await settled();
}

let designFonts: WeakMap<Element, number> | null = null;

/** Remembers every text's drawn size, to compare after the window changes (the 1280×800 design's sizes). */
async function recordDesignFonts(): Promise<number> {
  await document.fonts.ready;
  await settled();
  const scale = measuredScale();
  designFonts = new WeakMap();
  const texts = textElements(stageOf());
  for (const el of texts) designFonts.set(el, parseFloat(getComputedStyle(el).fontSize) * scale);
  return texts.length;
}

function measuredScale(): number {
  const stage = stageOf();
  return stage.getBoundingClientRect().width / parseFloat(getComputedStyle(stage).width);
}

async function measureLayout(minTarget: number): Promise<LayoutReport> {
  await document.fonts.ready;
  await settled();
  const doc = document.documentElement;
  const stage = stageOf();
  const scale = measuredScale();
  const sr = stage.getBoundingClientRect();
  const [vw, vh] = [window.innerWidth, window.innerHeight];
  const coversViewport = Math.abs(sr.left) <= 1 && Math.abs(sr.top) <= 1 && Math.abs(sr.right - vw) <= 1 && Math.abs(sr.bottom - vh) <= 1;
  const pageOverflow = doc.scrollHeight > vh + 1 || doc.scrollWidth > vw + 1;

  const clipped: string[] = [];
  for (const el of Array.from(stage.querySelectorAll<HTMLElement>('*'))) {
    if (!drawn(el) || el.closest('[data-scroll-area]') !== null) continue;
    const style = getComputedStyle(el);
    const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
    // Text boxes and buttons must hold their content; any box that hides overflow must have none.
    if ((clips || el.matches('main, button, p, h1, h2, li')) && (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2)) {
      clipped.push(describe(el));
    }
  }

  const outside: string[] = [];
  for (const el of [...textElements(stage), ...Array.from(stage.querySelectorAll('button'))]) {
    // What a scrolling list holds beyond its edge is reached by scrolling it (the 8-card tray test).
    if (!drawn(el) || el.parentElement?.closest('[data-scroll-area]') != null) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) outside.push(describe(el));
  }

  // A dialog or the open drawer covers the screen on purpose: then only what is on it, and the
  // header the drawer leaves uncovered, must be reachable.
  const on = document.querySelector('[data-overlay]') ?? document.querySelector('#card-tray');
  const reachable = Array.from(stage.querySelectorAll('button')).filter(
    (b) => on === null || on.contains(b) || (on.id === 'card-tray' && (b.closest('header') !== null || b.closest('[data-trainer]') !== null)),
  );
  const covered: string[] = [];
  for (const b of reachable) {
    if (!drawn(b) || b.parentElement?.closest('[data-scroll-area]') != null) continue;
    const r = b.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit === null || !b.contains(hit)) covered.push(`${describe(b)} under ${hit === null ? 'nothing' : describe(hit)}`);
  }

  const smallTargets: string[] = [];
  for (const b of Array.from(stage.querySelectorAll('button'))) {
    const r = b.getBoundingClientRect();
    // The trainer's card tray is not for citizens; its edge tab is kept slim so it covers nothing.
    const min = b.closest('[data-trainer]') === null ? minTarget : 44;
    const [w, h] = [r.width / scale, r.height / scale];
    if (w < min - 0.5 || h < min - 0.5) smallTargets.push(`${(b.textContent ?? '').trim()} ${Math.round(w)}×${Math.round(h)}`);
  }

  let smallerText: string[] | null = null;
  let comparedText = 0;
  if (designFonts !== null) {
    smallerText = [];
    for (const el of textElements(stage)) {
      const design = designFonts.get(el);
      if (design === undefined) continue;
      comparedText++;
      const now = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (now < design - 0.05) smallerText.push(`${describe(el)} ${now.toFixed(1)}px < ${design.toFixed(1)}px`);
    }
    designFonts = null;
  }

  const body = getComputedStyle(document.body);
  return {
    scale,
    stage: { width: parseFloat(getComputedStyle(stage).width), height: parseFloat(getComputedStyle(stage).height) },
    coversViewport,
    pageOverflow,
    clipped,
    outside,
    covered,
    smallTargets,
    smallerText,
    comparedText,
    userSelect: body.userSelect,
    touchAction: body.touchAction,
  };
}

// What renderer-layout.spec.ts calls (its LayoutHarness interface).
(window as unknown as { layoutHarness: object }).layoutHarness = { measureLayout, recordDesignFonts, showSnapshot };
