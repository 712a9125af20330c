/**
 * The session record (JSONL) is the base for usability measurements and must never hold a
 * password: run sessions with right and wrong values through the core, then search the file for
 * every value typed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Intent } from '../../electron/contract/kiosk';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { JsonlEventRecord, recordLine } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCard, FakeCenter, FakeReader, FakeScheduler, flush } from '../fakes/kiosk';

const AT_10 = Date.UTC(2026, 10, 25, 1, 0);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('session record', () => {
  it('records screens, intents and outcomes with timestamps, and no typed value at all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-record-'));
    dirs.push(dir);
    const file = path.join(dir, 'sessions', 'record.jsonl');
    const settings = new SettingsStore(null, { clock: { mode: 'fixed', at: AT_10 } });
    const center = new FakeCenter(() => AT_10);
    const reader = new FakeReader();
    const card = new FakeCard({ pins: { auth: '4071', sign: 'OLD9PASS' } });
    center.book(card.cardId, 'sign', AT_10 - 60_000);
    const core = new KioskCore({
      reader,
      center,
      journal: new FileResetJournal(path.join(dir, 'journal.jsonl')),
      events: new JsonlEventRecord(file),
      settings,
      scheduler: new FakeScheduler(),
    });
    await core.start();
    const send = async (i: Intent) => {
      core.send(i);
      await flush();
    };
    await send({ type: 'choose-service', service: 'admin' });
    await send({ type: 'choose-admin-item', item: 'my-number-card' });
    await send({ type: 'choose-card-option', option: 'reset-sign' });
    await send({ type: 'agree' });
    reader.insert(card);
    await flush();
    const typed = ['8152', '4071', 'MY2NEWPW', 'MY2NEWPX'];
    await send({ type: 'submit-other-password', value: '8152' }); // wrong
    await send({ type: 'input-activity' });
    await send({ type: 'submit-other-password', value: '4071' });
    await send({ type: 'submit-new-password', value: 'MY2NEWPW' });
    await send({ type: 'submit-new-password', value: 'MY2NEWPX' }); // mismatch
    await send({ type: 'submit-new-password', value: 'MY2NEWPW' });
    await send({ type: 'submit-new-password', value: 'MY2NEWPW' });
    await send({ type: 'acknowledge' });
    reader.remove();
    await flush();
    core.stop();
    expect(card.pins.sign).toBe('MY2NEWPW');

    const text = fs.readFileSync(file, 'utf8');
    for (const v of typed) expect(text).not.toContain(v);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.every((l) => typeof l.t === 'string' && typeof l.sim === 'string' && l.sim.startsWith('2026-11-25T01:00'))).toBe(true);
    expect(lines[0]).toMatchObject({ type: 'session-start', screen: 'top', session: expect.any(String) });
    expect(lines[1]).toMatchObject({ type: 'intent', screen: 'top', action: 'choose-service' });
    expect(lines.at(-1)).toMatchObject({ type: 'session-end' });
    const summary = lines.map((l) => [l.type, l.screen, l.action ?? l.outcome ?? ''].join(' '));
    expect(summary).toEqual(
      expect.arrayContaining([
        'intent other-password submit-other-password',
        'outcome progress verify:wrong',
        'screen other-password wrong-password',
        'screen new-password first:mismatch',
        'outcome progress reset:reset',
        'screen done ',
      ]),
    );
    // Every line of one session shares its id.
    expect(new Set(lines.filter((l) => l.type !== 'session-end').map((l) => l.session)).size).toBe(1);
  });

  it('a line carries only the known fields, even if a caller passes more', () => {
    const line = recordLine({ t: 0, sim: 0, sessionId: 's', type: 'intent', screen: 'other-password', action: 'submit-other-password', ...({ value: '4071' } as object) });
    expect(line).not.toContain('4071');
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['t', 'sim', 'session', 'type', 'screen', 'action']);
  });
});
