/**
 * A classroom of sixteen stations on this machine (one pcscd, sixteen vpcd readers, one center):
 * - every station runs a scripted 署名用 reset over the contract at the same moment: each reset's
 *   time (first touch to the done screen), p95 ≤ 2 s, and no station slower than twice its time alone;
 * - while all sixteen are busy, how long a station's screen change takes to reach a console that
 *   polls the class as the console page does: p95 ≤ 250 ms;
 * - host memory per added station (resident set of a host with sixteen stations against one with
 *   one, each in its own process): ≤ 40 MB.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdminCenterClient } from '../electron/center/client';
import type { Intent, Snapshot } from '../electron/contract/kiosk';
import { startClassroom, type Classroom } from '../electron/classroom/start';
import type { Station } from '../electron/classroom/station';
import { createCard } from '../native/card/issue';
import { PERSONAS } from '../native/card/personas';
import { ensurePcscd, stopPcscd, vpcdListening } from '../native/pcscd/pcscd';
import type { BenchResult } from './run';

export const name = 'classroom';

const STATIONS = 16;
/** The console page polls the class this often (renderer/src/console/console-store.ts). */
const CONSOLE_POLL_MS = 220;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function until(s: Station, pred: (x: Snapshot) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred(s.snapshot())) {
    if (Date.now() > deadline) throw new Error(`station ${s.n}: no ${what}; screen ${JSON.stringify(s.snapshot().screen)}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function send(s: Station, intent: Intent): void {
  const r = s.kiosk.send(intent);
  if (!r.accepted) throw new Error(`station ${s.n}: ${intent.type} refused (${r.reason})`);
}

/** One scripted 署名用 reset on a station whose card is on its reader; resolves with its time (ms). */
async function scriptedReset(s: Station, fresh: string): Promise<number> {
  const t0 = performance.now();
  send(s, { type: 'choose-service', service: 'admin' });
  send(s, { type: 'choose-admin-item', item: 'my-number-card' });
  send(s, { type: 'choose-card-option', option: 'reset-sign' });
  send(s, { type: 'agree' });
  await until(s, (x) => x.screen.id === 'other-password', 'other-password screen');
  send(s, { type: 'submit-other-password', value: PERSONAS.adult.pins.auth as string });
  await until(s, (x) => x.screen.id === 'new-password', 'new-password screen');
  send(s, { type: 'submit-new-password', value: fresh });
  send(s, { type: 'submit-new-password', value: fresh });
  await until(s, (x) => x.screen.id === 'done', 'done screen');
  const ms = performance.now() - t0;
  send(s, { type: 'acknowledge' });
  return ms;
}

/** A host with `n` stations in its own process: its resident set once started and settled (MB). */
function hostRss(n: number, dir: string): Promise<number> {
  const script = `
    import { startClassroom } from './electron/classroom/start';
    const room = await startClassroom({ stations: ${n}, dir: ${JSON.stringify(dir)}, rendererDir: ${JSON.stringify(dir)}, port: 0, log: () => undefined });
    await new Promise((r) => setTimeout(r, 1500));
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    console.log(JSON.stringify({ rss: process.memoryUsage().rss }));
    await room.close();
    process.exit(0);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      const m = /\{"rss":(\d+)\}/.exec(out);
      if (code !== 0 || m === null) reject(new Error(`host with ${n} station(s) exited ${code}`));
      else resolve(Number(m[1]) / 2 ** 20);
    });
  });
}

export async function run(): Promise<BenchResult> {
  if (!vpcdListening(STATIONS - 1)) {
    await stopPcscd();
    await ensurePcscd({ slots: STATIONS, logFile: '/tmp/kiosk-sim-pcscd-bench.log' });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-bench-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  let room: Classroom | undefined;
  try {
    room = await startClassroom({ stations: STATIONS, dir: path.join(dir, 'room'), rendererDir: dir, port: 0, log: () => undefined });
    const all = Array.from({ length: STATIONS }, (_, i) => i + 1);
    const admin = new AdminCenterClient({ baseUrl: room.center.url, token: room.center.adminToken });
    const cards: string[] = [];
    for (const n of all) {
      const made = await createCard('adult', { dir: path.join(dir, 'room', `station-${String(n).padStart(2, '0')}`, 'cards'), name: 'adult' });
      cards.push(made.state.cardId);
    }
    const tenJst = Date.parse(`${new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10)}T10:00:00+09:00`);
    await room.console.act(all, { type: 'set-clock', offsetMs: tenJst - Date.now() });
    const placed = await room.console.act(all, { type: 'place-card', name: 'adult' });
    if (!placed.ok) throw new Error(`placing the cards failed on stations ${placed.stations.join(', ')}`);
    const book = async () => {
      for (const id of cards) await admin.create({ cardId: id, kind: 'sign' });
    };
    const station = (n: number) => room!.stations[n - 1] as Station;
    const backToTop = async () => {
      for (const n of all) await until(station(n), (x) => x.screen.id === 'take-card' || x.screen.id === 'top', 'end of the reset');
      await room!.console.act(all, { type: 'reset' });
    };

    // Alone: each station's reset with the others idle.
    await book();
    const alone: number[] = [];
    for (const n of all) alone.push(await scriptedReset(station(n), `ALONE${n}X`));
    await backToTop();

    // Together, with a console polling the class as the console page does.
    await book();
    const seen = new Map<number, number>();
    const lags: number[] = [];
    const emitted = new Map<string, number>();
    const unsubscribe = all.map((n) => station(n).kiosk.onSnapshot((s) => emitted.set(`${n}:${s.seq}`, performance.now())));
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const view = room!.console.view();
        const now = performance.now();
        for (const v of view.stations) {
          const seq = v.snapshot?.seq ?? -1;
          if (seen.get(v.n) === seq) continue;
          seen.set(v.n, seq);
          const at = emitted.get(`${v.n}:${seq}`);
          if (at !== undefined) lags.push(now - at);
        }
        await new Promise((r) => setTimeout(r, CONSOLE_POLL_MS));
      }
    })();
    const together = await Promise.all(all.map((n) => scriptedReset(station(n), `TOGETHER${n}X`)));
    polling = false;
    await poller;
    for (const u of unsubscribe) u();
    await backToTop();

    const worstRatio = Math.max(...together.map((t, i) => t / (alone[i] as number)));
    const rssOne = await hostRss(1, path.join(dir, 'one'));
    const rssSixteen = await hostRss(STATIONS, path.join(dir, 'sixteen'));
    const perStation = (rssSixteen - rssOne) / (STATIONS - 1);

    return {
      figures: {
        stations: STATIONS,
        resetAloneMs: { p50: round(quantile(alone, 0.5)), p95: round(quantile(alone, 0.95)), max: round(Math.max(...alone)) },
        resetTogetherMs: { p50: round(quantile(together, 0.5)), p95: round(quantile(together, 0.95)), max: round(Math.max(...together)) },
        worstTogetherOverAlone: round(worstRatio * 100) / 100,
        consoleLagMs: { samples: lags.length, p50: round(quantile(lags, 0.5)), p95: round(quantile(lags, 0.95)), pollMs: CONSOLE_POLL_MS },
        hostRssMb: { oneStation: round(rssOne), sixteenStations: round(rssSixteen), perAddedStation: round(perStation) },
      },
      targets: [
        { what: '16 simultaneous resets, p95 (ms)', value: round(quantile(together, 0.95)), max: 2000 },
        { what: 'slowest station together ÷ alone', value: round(worstRatio * 100) / 100, max: 2 },
        { what: 'screen change to the console while all 16 are busy, p95 (ms)', value: round(quantile(lags, 0.95)), max: 250 },
        { what: 'host memory per added station (MB)', value: round(perStation), max: 40 },
      ],
    };
  } finally {
    await room?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
