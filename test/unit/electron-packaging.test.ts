/**
 * Packaging without building: the electron-builder configuration passes electron-builder's own
 * validation (its JSON schema and checks), targets AppImage + deb and nsis, flips the fuses, never
 * rebuilds native modules in the checkout, and ships the Electron builds of the per-runtime
 * modules. Where there is no Electron binary, `npm run dist` stops with a clear message and
 * `npm run test:electron` prints one "skipped" line without running (and so passing) anything.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { builderConfig, DEB_DEPENDS, fusesFor, type BuildFlavor } from '../../electron/packaging/builder-config';
import { findElectronBinary } from '../../electron/packaging/electron-binary';
import { fuseMismatches, FUSE_INDEX } from '../../electron/packaging/fuses';
import { packagingNodeProblem, parseDistArgs } from '../../electron/packaging/dist';

const repo = path.resolve(import.meta.dirname, '../..');
const require = createRequire(path.join(repo, 'package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string; devDependencies: Record<string, string> };

/** electron-builder's own validation of a configuration (what `build` runs first). */
async function validate(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, logger: unknown): Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(config, new DebugLogger(false));
}

const nativeDir = path.join(repo, 'node_modules/.electron-native/electron-40.10.2-linux-x64');

describe('electron-builder configuration', () => {
  it.each(['production', 'test'] as BuildFlavor[])("the %s configuration passes electron-builder's validation", async (flavor) => {
    await expect(validate(builderConfig({ flavor, nativeDir }))).resolves.toBeUndefined();
    await expect(validate(builderConfig({ flavor, nativeDir, electronDist: '/x/electron/dist' }))).resolves.toBeUndefined();
  });

  it('the validation really refuses a wrong configuration (so the test above means something)', async () => {
    await expect(validate({ ...builderConfig({ flavor: 'production', nativeDir }), linux: { target: ['AppImage'], notAnOption: 1 } })).rejects.toThrow(/configuration.linux/);
  });

  it('Linux: AppImage and deb (the deb depends on pcscd); Windows: nsis installer, per machine', () => {
    const c = builderConfig({ flavor: 'production', nativeDir });
    expect(c.linux?.target).toEqual(['AppImage', 'deb']);
    expect(c.deb?.depends).toEqual(DEB_DEPENDS);
    expect(DEB_DEPENDS).toEqual(expect.arrayContaining(['pcscd', 'libpcsclite1']));
    expect(c.win?.target).toEqual(['nsis']);
    expect(c.nsis).toMatchObject({ oneClick: false, perMachine: true });
  });

  it('never rebuilds native modules in the checkout, and ships their Electron builds as resources/native', () => {
    const c = builderConfig({ flavor: 'production', nativeDir });
    expect(c).toMatchObject({ npmRebuild: false, nodeGypRebuild: false, buildDependenciesFromSource: false });
    expect(c.extraResources).toEqual([{ from: nativeDir, to: 'native', filter: ['**/build/Release/*.node'] }]);
    expect(c.files).toEqual(expect.arrayContaining(['out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', '!node_modules/pcsclite/src/**', '!node_modules/better-sqlite3/{deps,src}/**']));
    // The Node builds must be packed: Node resolves the .node path before dlopen is redirected.
    expect((c.files as string[]).some((f) => f.includes('build'))).toBe(false);
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('flips the fuses: production hardened, the test build keeps only the inspector for Playwright', () => {
    expect(builderConfig({ flavor: 'production', nativeDir }).electronFuses).toEqual(fusesFor('production'));
    expect(builderConfig({ flavor: 'test', nativeDir }).electronFuses).toEqual(fusesFor('test'));
    expect(fusesFor('production').enableNodeCliInspectArguments).toBe(false);
    expect(fusesFor('test').enableNodeCliInspectArguments).toBe(true);
  });

  it('publishes nothing, writes to out/dist/<flavor>', () => {
    const c = builderConfig({ flavor: 'test', nativeDir });
    expect(c.publish).toBeNull();
    expect(c.directories?.output).toBe('out/dist/test');
  });
});

describe('reading back the fuses of a package', () => {
  const ON = 0x31;
  const OFF = 0x30;
  function wireFor(flavor: BuildFlavor): Record<number, number> {
    const f = fusesFor(flavor);
    return Object.fromEntries(Object.entries(FUSE_INDEX).map(([k, i]) => [i, f[k as keyof typeof f] ? ON : OFF]));
  }

  it('a wire as configured has no mismatch', () => {
    expect(fuseMismatches(wireFor('production'), 'production')).toEqual([]);
  });

  it('a test-build binary is not accepted as a production one', () => {
    expect(fuseMismatches(wireFor('test'), 'production')).toEqual([{ fuse: 'enableNodeCliInspectArguments', expected: false, actual: 'on' }]);
  });

  it('an unflipped wire (Electron defaults) shows every difference', () => {
    const unflipped = wireFor('production');
    unflipped[FUSE_INDEX.runAsNode] = ON;
    delete unflipped[FUSE_INDEX.onlyLoadAppFromAsar];
    expect(fuseMismatches(unflipped, 'production').map((m) => `${m.fuse}:${m.actual}`)).toEqual(['runAsNode:on', 'onlyLoadAppFromAsar:absent']);
  });
});

describe('npm run dist', () => {
  it('packages for the host platform by default; --linux, --win and --flavor choose', () => {
    expect(parseDistArgs([], 'linux')).toEqual({ flavor: 'production', platforms: ['linux'] });
    expect(parseDistArgs(['--flavor=test', '--linux', '--win'], 'linux')).toEqual({ flavor: 'test', platforms: ['linux', 'win32'] });
    expect(() => parseDistArgs(['--mac'], 'linux')).toThrow(/unknown argument/);
  });

  it('npm ci downloads nothing: no install-app-deps or electron-builder postinstall, and no other install hook than the quick-ACK build', () => {
    expect(pkg.scripts.postinstall).toBe('node-gyp rebuild --directory native/quickack');
    expect(Object.values(pkg.scripts).join('\n')).not.toMatch(/install-app-deps|electron-rebuild|electron-builder install/);
    expect(pkg.devDependencies).toHaveProperty('electron-builder');
    expect(pkg.devDependencies).toHaveProperty('@electron/fuses');
  });

  it('the scripts exist and npm test runs the Electron suite', () => {
    expect(pkg.scripts.dist).toBe('tsx electron/packaging/dist.ts');
    expect(pkg.scripts['test:electron']).toBe('tsx test/electron/run.ts');
    expect(pkg.scripts.test).toMatch(/npm run test:electron$/);
  });
});

describe('without an Electron binary', () => {
  it('the binary check says why, and what to do', () => {
    expect(findElectronBinary({ from: repo, requireElectron: () => { throw new Error('Electron failed to install correctly, please delete node_modules/electron'); } })).toMatchObject({ ok: false, reason: 'binary-missing' });
    expect(findElectronBinary({ from: repo, requireElectron: () => '/nowhere/electron', exists: () => false })).toMatchObject({ ok: false, reason: 'binary-missing', detail: '/nowhere/electron does not exist' });
    expect(findElectronBinary({ from: repo, requireElectron: () => '/opt/electron/electron', exists: () => true })).toMatchObject({ ok: true, path: '/opt/electron/electron' });
  });

  const binary = findElectronBinary({ from: repo });
  const tsx = path.join(repo, 'node_modules/.bin/tsx');
  if (!binary.ok) {
    it('npm run dist stops at once with a clear message and a failing exit code', () => {
      const r = spawnSync(tsx, ['electron/packaging/dist.ts'], { cwd: repo, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('npm run dist: No Electron binary');
      expect(r.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    });

    it('npm run test:electron prints exactly one "skipped: no Electron binary" line and runs no test', () => {
      const r = spawnSync(tsx, ['test/electron/run.ts'], { cwd: repo, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('skipped: no Electron binary\n');
      expect(r.stderr).toBe('');
    });
  } else {
    it('this machine has an Electron binary: npm run test:electron runs the _electron suite for real', () => {
      expect(fs.existsSync(binary.path)).toBe(true);
    });
  }
});

describe('packaging Node version', () => {
  it.each([
    ['v20.20.2', false],
    ['v22.11.0', false],
    ['v22.12.0', true],
    ['v24.1.0', true],
  ])('%s can package: %s', (version, ok) => {
    const problem = packagingNodeProblem(version);
    expect(problem === null).toBe(ok);
    if (!ok) expect(problem).toContain('Node 22.12');
  });
});
