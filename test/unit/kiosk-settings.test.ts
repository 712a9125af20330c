/** Trainer settings: validation, persistence, the simulated clock, and the center key kept private. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsClock, SettingsStore, simulatedNow } from '../../electron/kiosk/settings';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-settings-'));
  dirs.push(d);
  return path.join(d, 'settings.json');
}

describe('settings', () => {
  it('persists a change and reloads it; the key is stored but never shown', () => {
    const f = file();
    const a = new SettingsStore(f);
    const r = a.update({ chain: 'lawson', centerKey: 'k-123456', clock: { mode: 'offset', offsetMs: 3600_000 } });
    expect(r).toMatchObject({ ok: true, settings: { chain: 'lawson', centerKeySet: true } });
    expect(JSON.stringify(a.view())).not.toContain('k-123456');
    expect((fs.statSync(f).mode & 0o777).toString(8)).toBe('600');
    const b = new SettingsStore(f);
    expect(b.get()).toMatchObject({ chain: 'lawson', centerKey: 'k-123456', clock: { mode: 'offset', offsetMs: 3600_000 } });
  });

  it.each([
    [{ timeouts: { inactivitySeconds: 30, warningSeconds: 30, takeCardSeconds: 30 } }, 'warning-longer-than-inactivity'],
    [{ maintenance: [{ from: 10, until: 10 }] }, 'maintenance-window-empty'],
    [{ centerUrl: 'ftp://x' }, 'center-url-invalid'],
    [{ centerUrl: 'not a url' }, 'center-url-invalid'],
  ])('refuses %j (%s) and keeps the old settings', (patch, problem) => {
    const s = new SettingsStore(null);
    expect(s.update(patch)).toEqual({ ok: false, problem });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('a corrupt file falls back to the defaults and says why', () => {
    const f = file();
    fs.writeFileSync(f, '{"chain":"circle-k"}');
    const s = new SettingsStore(f);
    expect(s.get().chain).toBe(DEFAULT_SETTINGS.chain);
    expect(s.loadProblem).toMatch(/schema/);
  });

  it('simulated clock: system, offset, fixed', () => {
    expect(simulatedNow({ mode: 'system' }, 1000)).toBe(1000);
    expect(simulatedNow({ mode: 'offset', offsetMs: -500 }, 1000)).toBe(500);
    expect(simulatedNow({ mode: 'fixed', at: 42 }, 1000)).toBe(42);
    const store = new SettingsStore(null, { clock: { mode: 'offset', offsetMs: 60_000 } });
    let real = 1_000_000;
    const clock = new SettingsClock(store, () => real);
    expect(clock.describe()).toEqual({ mode: 'offset', now: 1_060_000, offsetMs: 60_000 });
    real += 5;
    expect(clock.now()).toBe(1_060_005);
    store.update({ clock: { mode: 'fixed', at: 7 } });
    expect(clock.now()).toBe(7);
  });
});
