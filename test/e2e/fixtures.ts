/**
 * The `kiosk` fixture of the end-to-end specs: per test, a browser host with isolated state
 * (host.ts), the test's window on its reservation center (center-desk.ts), the hand that places
 * cards on its reader (cards.ts), and a page showing the kiosk. Helpers touch the screen the way a
 * citizen does — buttons found by role and visible name, keys pressed one by one — and wait for
 * the screen the core shows next (every screen root carries `data-screen="<id>"`).
 *
 * Options per spec or test: `test.use({ setup: { chain: 'lawson', … } })`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { createWsKiosk } from '../../electron/contract/ws-client';
import type { KioskApi } from '../../electron/contract/api';
import type { GuidanceReason, ScreenId } from '../../electron/contract/kiosk';
import type { ResetKind } from '../../electron/domain/passwords';
import { CardHand, cardIdOf, type PlaceOptions, type RealLookingCard } from './cards';
import { CenterDesk } from './center-desk';
import { CenterGate } from './center-gate';
import { E2E_SLOT, startBrowserHostForTest, waitForEmptySlot, type HostOptions, type KioskHost } from './host';

export { expect };

/**
 * The words on the kiosk that the tests touch and read, as a citizen reads them (Japanese). Kept
 * here, not imported from the renderer's messages: a test should fail when what is shown changes.
 */
export const words = {
  admin: '行政サービス',
  myNumberCard: 'マイナンバーカード',
  resetSign: '署名用電子証明書のパスワードの初期化・再設定',
  resetAuth: '利用者証明用電子証明書の暗証番号の初期化・再設定',
  resetJuki: '住民基本台帳用暗証番号',
  resetText: '券面事項入力補助用暗証番号',
  agree: '同意する',
  submit: '確定',
  next: '次へ',
  ok: '確認',
  cancel: 'やめる',
  back: '戻る',
  continue: '続ける',
  dontKnow: 'わからない場合',
  english: 'English',
} as const;

export interface KioskSetup extends HostOptions {
  /**
   * Run the reservation center in the test (on its own database) and point the kiosk at it as an
   * external center, so the test can take it down. Default: the host's embedded center.
   */
  readonly externalCenter?: boolean;
  /** With externalCenter: the kiosk reaches the center through a CenterGate (kiosk.gate). */
  readonly centerGate?: boolean;
}

export class Kiosk {
  #trainer: (KioskApi & { close(): void }) | undefined;

  constructor(
    readonly page: Page,
    readonly host: KioskHost,
    /** The center the kiosk uses (the test's own instance on the same database, or the external one). */
    readonly center: CenterDesk,
    readonly hand: CardHand,
    /** The pass-through between kiosk and center, where the setup asked for one. */
    readonly gate?: CenterGate,
  ) {}

  /** The root of screen `id` (visible or not). */
  screen(id: ScreenId): Locator {
    return this.page.locator(`[data-screen="${id}"]`);
  }

  /** Waits until the kiosk shows screen `id` (longer than usual: `timeoutMs`); returns its root. */
  async shows(id: ScreenId, timeoutMs?: number): Promise<Locator> {
    const s = this.screen(id);
    await expect(s).toBeVisible(timeoutMs === undefined ? {} : { timeout: timeoutMs });
    return s;
  }

  /** Touches the button with this visible name (within `where`, default the page). */
  async touch(name: string, where: Locator | Page = this.page, exact = false): Promise<void> {
    await where.getByRole('button', { name, exact }).click();
  }

  /** 行政サービス → マイナンバーカード: the card menu. */
  async openCardMenu(): Promise<Locator> {
    await this.touch(words.admin, await this.shows('top'));
    await this.touch(words.myNumberCard, await this.shows('admin-menu'));
    return this.shows('card-menu');
  }

  /** From the top menu to 「カードを置いてください」 for this reset. */
  async startReset(kind: ResetKind): Promise<Locator> {
    const menu = await this.openCardMenu();
    await this.touch(kind === 'sign' ? words.resetSign : words.resetAuth, menu);
    await this.touch(words.agree, await this.shows('notice'));
    return this.shows('place-card');
  }

  /** Types `value` on the other-password screen's on-screen keys, one touch per character, and 確定. */
  async enterOtherPassword(value: string): Promise<void> {
    await this.#type(await this.shows('other-password'), value);
  }

  /**
   * Types the new password at `step` ('first' entry or 'confirm'), waiting for that step first:
   * both steps are the same screen id, and keys touched before the next step is shown would be lost.
   */
  async enterNewPassword(value: string, step: 'first' | 'confirm'): Promise<void> {
    const s = await this.shows('new-password');
    await expect(s.locator(`[data-step="${step}"]`)).toBeVisible();
    await this.#type(s, value);
  }

  async #type(screen: Locator, value: string): Promise<void> {
    for (const ch of value) await screen.getByRole('button', { name: ch, exact: true }).click();
    await screen.getByRole('button', { name: words.submit, exact: true }).click();
  }

  /** Waits for the guidance screen for `reason`; returns its panel. */
  async guidance(reason: GuidanceReason): Promise<Locator> {
    const s = await this.shows('guidance');
    const panel = s.locator(`[data-reason="${reason}"]`);
    await expect(panel).toBeVisible();
    return panel;
  }

  cardFile(name: string): string {
    return this.host.cardFile(name);
  }

  cardId(name: string): string {
    return cardIdOf(this.cardFile(name));
  }

  /** Places the named card (a persona card of this test's card directory) on the kiosk's reader. */
  place(name: string, opts: PlaceOptions = {}): Promise<RealLookingCard | undefined> {
    return this.hand.place(this.cardFile(name), opts);
  }

  /** Takes the card off the reader. */
  removeCard(): Promise<void> {
    return this.hand.remove();
  }

  /** 確認 on a guidance screen, take the card, and back at the top menu. */
  async acknowledgeAndTakeCard(): Promise<void> {
    await this.touch(words.ok, this.screen('guidance'), true);
    await this.shows('take-card');
    await this.removeCard();
    await this.shows('top');
  }

  /**
   * The trainer's console: window.kiosk over the host's WebSocket, from this process (the trainer's
   * own screen). Used for what a trainer changes mid-session, such as the simulated clock.
   */
  trainer(): KioskApi {
    if (this.#trainer === undefined) {
      const origin = this.host.origin;
      class OriginWebSocket extends WebSocket {
        constructor(url: string) {
          super(url, { origin });
        }
      }
      this.#trainer = createWsKiosk({ url: `${origin.replace(/^http/, 'ws')}/kiosk`, WebSocket: OriginWebSocket as unknown as typeof globalThis.WebSocket });
    }
    return this.#trainer;
  }

  closeTrainer(): void {
    this.#trainer?.close();
  }
}

export const test = base.extend<{ setup: KioskSetup; kiosk: Kiosk }>({
  setup: [{}, { option: true }],
  kiosk: async ({ page, setup }, use, testInfo) => {
    await waitForEmptySlot(E2E_SLOT);
    let external: { desk: CenterDesk; dir: string; gate: CenterGate | undefined } | undefined;
    if (setup.externalCenter || setup.centerGate) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-center-'));
      const desk = await CenterDesk.open(path.join(dir, 'center.sqlite'));
      external = { desk, dir, gate: setup.centerGate ? await CenterGate.open(desk.url) : undefined };
    }
    const kioskCenter = external && (external.gate ? { url: external.gate.url, key: external.desk.asKioskCenter.key } : external.desk.asKioskCenter);
    let host: KioskHost | undefined;
    let center: CenterDesk | undefined;
    const hand = new CardHand(E2E_SLOT);
    let kiosk: Kiosk | undefined;
    try {
      host = await startBrowserHostForTest({ ...setup, ...(kioskCenter && { center: kioskCenter }) });
      center = external?.desk ?? (await CenterDesk.open(host.centerDbPath));
      kiosk = new Kiosk(page, host, center, hand, external?.gate);
      await page.goto(host.url);
      await use(kiosk);
    } finally {
      if (host && testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('host output', { body: host.output(), contentType: 'text/plain' });
      }
      kiosk?.closeTrainer();
      await hand.close();
      await (center ?? external?.desk)?.close().catch(() => undefined);
      await host?.stop();
      await external?.gate?.close();
      if (external) fs.rmSync(external.dir, { recursive: true, force: true });
    }
  },
});

/** A new password no persona has: 6–16 A–Z/0–9 with a letter and a digit. */
export function newSignPassword(): string {
  return `NEW${crypto.randomInt(100000, 999999)}`;
}

/** A new 4-digit PIN different from `not`. */
export function newAuthPin(not: string): string {
  for (;;) {
    const pin = String(crypto.randomInt(0, 10000)).padStart(4, '0');
    if (pin !== not) return pin;
  }
}
