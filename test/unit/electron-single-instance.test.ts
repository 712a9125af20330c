/**
 * One kiosk per terminal, with `electron` mocked: a second start quits at once and starts nothing;
 * the running kiosk brings its window forward instead of opening another.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { claimSingleInstance } = await import('../../electron/main/single-instance');

beforeEach(() => fake.resetElectronFake());

describe('single instance', () => {
  it('a second instance quits and is told not to start anything', () => {
    fake.app.lockAvailable = false;
    expect(claimSingleInstance(fake.app as never, () => null)).toBe('secondary');
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.app.listenerCount('second-instance')).toBe(0);
  });

  it('the first instance keeps running and shows its kiosk window when another start is attempted', () => {
    const win = new fake.BrowserWindow();
    win.minimized = true;
    expect(claimSingleInstance(fake.app as never, () => win as never)).toBe('primary');
    expect(fake.app.quitCalls).toBe(0);
    fake.app.emit('second-instance', new fake.FakeEvent(), ['kiosk-sim'], '/');
    expect(win.minimized).toBe(false);
    expect(win.shown).toBe(true);
    expect(win.focused).toBe(true);
    expect(fake.BrowserWindow.created).toHaveLength(1);
  });

  it('a second start before the window exists (or after it closed) is simply ignored', () => {
    claimSingleInstance(fake.app as never, () => null);
    expect(() => fake.app.emit('second-instance', new fake.FakeEvent(), [], '/')).not.toThrow();
    const closed = new fake.BrowserWindow();
    closed.destroyed = true;
    fake.resetElectronFake();
    claimSingleInstance(fake.app as never, () => closed as never);
    fake.app.emit('second-instance', new fake.FakeEvent(), [], '/');
    expect(closed.focused).toBe(false);
  });
});
