/**
 * Native modules in two runtimes on one checkout: in Electron the per-runtime modules (pcsclite,
 * better-sqlite3) load from their Electron build, everything else (the Node-API quick-ACK addon)
 * loads as is; a missing Electron build is a clear, typed error; and plain Node (these tests) keeps
 * loading the Node builds from node_modules.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutNativeRoot, electronNativeTag, installNativeRedirect, NativeModuleError, redirectNativePath } from '../../electron/main/native-modules';
import { electronGypArgs, electronModuleDir, electronNativeReady } from '../../electron/packaging/native-electron';

const NATIVE = '/opt/kiosk/resources/native';

describe('which .node files are redirected', () => {
  it.each([
    ['/repo/node_modules/pcsclite/build/Release/pcsclite.node', `${NATIVE}/pcsclite/build/Release/pcsclite.node`],
    ['/repo/node_modules/better-sqlite3/build/Release/better_sqlite3.node', `${NATIVE}/better-sqlite3/build/Release/better_sqlite3.node`],
    ['/opt/kiosk/resources/app.asar/node_modules/pcsclite/build/Release/pcsclite.node', `${NATIVE}/pcsclite/build/Release/pcsclite.node`],
    ['C:\\kiosk\\resources\\app.asar\\node_modules\\better-sqlite3\\build\\Release\\better_sqlite3.node', `${NATIVE}/better-sqlite3/build/Release/better_sqlite3.node`],
  ])('%s → the Electron build', (from, to) => {
    expect(redirectNativePath(from, NATIVE)).toBe(path.join(to));
  });

  it.each([
    '/repo/native/quickack/build/Release/quickack.node',
    '/repo/node_modules/esbuild/lib/x.node',
    '/repo/node_modules/pcsclite/lib/pcsclite.node',
    '/repo/node_modules/pcsclite-evil/build/Release/pcsclite.node',
    '/repo/node_modules/better-sqlite3/build/Release/deeper/x.node',
  ])('%s is loaded as is', (file) => {
    expect(redirectNativePath(file, NATIVE)).toBeUndefined();
  });

  it('the checkout keeps one folder per Electron version and platform', () => {
    expect(checkoutNativeRoot('/repo', electronNativeTag('40.10.2', 'linux', 'x64'))).toBe(path.join('/repo/node_modules/.electron-native/electron-40.10.2-linux-x64'));
  });
});

describe('the dlopen redirect', () => {
  const proc = process as unknown as { dlopen: (m: { exports: unknown }, f: string, flags?: number) => void };
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('loads the Electron build of a per-runtime module and passes anything else through', () => {
    const opened: string[] = [];
    const real = proc.dlopen;
    proc.dlopen = (_m, f) => void opened.push(f);
    try {
      const undo = installNativeRedirect(NATIVE, () => true);
      proc.dlopen({ exports: {} }, '/repo/node_modules/pcsclite/build/Release/pcsclite.node');
      proc.dlopen({ exports: {} }, '/repo/native/quickack/build/Release/quickack.node');
      undo();
      expect(opened).toEqual([path.join(NATIVE, 'pcsclite/build/Release/pcsclite.node'), '/repo/native/quickack/build/Release/quickack.node']);
    } finally {
      proc.dlopen = real;
    }
  });

  it('a missing Electron build is a typed error that says which command makes it', () => {
    const real = proc.dlopen;
    proc.dlopen = () => undefined;
    try {
      const undo = installNativeRedirect(NATIVE, () => false);
      let err: unknown;
      try {
        proc.dlopen({ exports: {} }, '/repo/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
      } catch (e) {
        err = e;
      }
      undo();
      expect(err).toBeInstanceOf(NativeModuleError);
      expect(err).toMatchObject({ code: 'ELECTRON_NATIVE_MISSING', pkg: 'better-sqlite3' });
      expect((err as Error).message).toContain('npm run electron:native');
    } finally {
      proc.dlopen = real;
    }
  });

  it('with the redirect installed, plain Node still loads the Node-API quick-ACK addon through the real dlopen', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-native-'));
    restore = installNativeRedirect(empty);
    const require = createRequire(import.meta.url);
    const addon = path.resolve('native/quickack/build/Release/quickack.node');
    const loaded = require(addon) as { quickAck?: unknown };
    expect(typeof loaded.quickAck).toBe('function');
    fs.rmSync(empty, { recursive: true });
  });

  it('plain Node loads the Node builds of both per-runtime modules (the Electron builds live elsewhere)', () => {
    const require = createRequire(import.meta.url);
    const pcsc = require(path.resolve('node_modules/pcsclite/build/Release/pcsclite.node')) as { PCSCLite?: unknown };
    expect(typeof pcsc.PCSCLite).toBe('function');
    const Database = require('better-sqlite3') as new (f: string) => { prepare(s: string): { get(): unknown }; close(): void };
    const db = new Database(':memory:');
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
  });
});

describe('building for Electron', () => {
  const target = { electronVersion: '40.10.2', platform: 'linux' as const, arch: 'x64' };

  it("node-gyp is pointed at Electron's headers, release build, for the target", () => {
    expect(electronGypArgs(target, '/cache/gyp')).toEqual(['rebuild', '--release', '--target=40.10.2', '--arch=x64', '--dist-url=https://electronjs.org/headers', '--devdir=/cache/gyp']);
  });

  it('a module builds into its own folder, never into node_modules/<pkg>/build', () => {
    const dir = electronModuleDir('/repo', target, 'pcsclite');
    expect(dir).toBe(path.join('/repo/node_modules/.electron-native/electron-40.10.2-linux-x64/pcsclite'));
    expect(dir.startsWith(path.join('/repo/node_modules/pcsclite'))).toBe(false);
  });

  it('a checkout is ready only when every per-runtime module has an Electron build', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-native-ready-'));
    expect(electronNativeReady(repo, target)).toBe(false);
    const pcsc = path.join(electronModuleDir(repo, target, 'pcsclite'), 'build', 'Release');
    fs.mkdirSync(pcsc, { recursive: true });
    fs.writeFileSync(path.join(pcsc, 'pcsclite.node'), '');
    expect(electronNativeReady(repo, target)).toBe(false);
    const sqlite = path.join(electronModuleDir(repo, target, 'better-sqlite3'), 'build', 'Release');
    fs.mkdirSync(sqlite, { recursive: true });
    fs.writeFileSync(path.join(sqlite, 'better_sqlite3.node'), '');
    expect(electronNativeReady(repo, target)).toBe(true);
    fs.rmSync(repo, { recursive: true });
  });
});
