/**
 * `npm run electron:native`: builds the per-runtime native modules (pcsclite, better-sqlite3; see
 * electron/main/native-modules.ts) for Electron into their own folder, leaving the Node builds in
 * node_modules/<pkg>/build untouched, so plain Node and Electron both work on one checkout.
 *
 * Each package is copied (without its build/) to node_modules/.electron-native/<tag>/<pkg> and
 * compiled there with node-gyp against Electron's headers (Electron's documented manual build:
 * --target=<electron version> --dist-url=https://electronjs.org/headers). Node resolution from
 * that folder still finds the packages' build-time dependencies (nan) in node_modules.
 * Needs the network for the headers (once per version) and a compiler; a machine without either
 * gets a clear error. Native code cannot be cross-compiled: build on each target platform.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkoutNativeRoot, electronNativeTag, PER_RUNTIME_MODULES, type PerRuntimeModule } from '../main/native-modules';
import { electronPackageVersion } from './electron-binary';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

export class NativeBuildError extends Error {
  readonly code = 'ELECTRON_NATIVE_BUILD_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'NativeBuildError';
  }
}

export interface NativeBuildTarget {
  readonly electronVersion: string;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
}

/** node-gyp's arguments for one module (pure, so a test pins them). */
export function electronGypArgs(t: NativeBuildTarget, devdir: string): string[] {
  return ['rebuild', '--release', `--target=${t.electronVersion}`, `--arch=${t.arch}`, `--dist-url=${ELECTRON_HEADERS_URL}`, `--devdir=${devdir}`];
}

/** The folder the Electron build of `pkg` goes to. */
export function electronModuleDir(root: string, t: NativeBuildTarget, pkg: PerRuntimeModule): string {
  return path.join(checkoutNativeRoot(root, electronNativeTag(t.electronVersion, t.platform, t.arch)), pkg);
}

/** Whether every per-runtime module has an Electron build for `t` in this checkout. */
export function electronNativeReady(root: string, t: NativeBuildTarget): boolean {
  return PER_RUNTIME_MODULES.every((pkg) => {
    const dir = path.join(electronModuleDir(root, t, pkg), 'build', 'Release');
    return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.node'));
  });
}

function nodeGypScript(): string {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // npm's own copy, next to the npm that runs this script.
    const bundled = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (fs.existsSync(bundled)) return bundled;
    throw new NativeBuildError('node-gyp not found (it comes with npm and with electron-builder)');
  }
}

/** Copies a package's sources (not its Node build) to `dest`. */
function stage(pkg: PerRuntimeModule, dest: string): void {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const src = path.dirname(require.resolve(`${pkg}/package.json`));
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(src, dest, { recursive: true, filter: (from) => path.relative(src, from).split(path.sep)[0] !== 'build' });
}

export function buildForElectron(t: NativeBuildTarget, log: (line: string) => void = console.log): void {
  if (t.platform !== process.platform) {
    throw new NativeBuildError(`native modules for ${t.platform} must be built on ${t.platform} (this is ${process.platform})`);
  }
  const gyp = nodeGypScript();
  const devdir = path.join(repoRoot, 'node_modules', '.cache', 'electron-gyp');
  for (const pkg of PER_RUNTIME_MODULES) {
    const dir = electronModuleDir(repoRoot, t, pkg);
    log(`electron:native: ${pkg} for Electron ${t.electronVersion} (${t.platform}-${t.arch}) → ${path.relative(repoRoot, dir)}`);
    stage(pkg, dir);
    const r = spawnSync(process.execPath, [gyp, ...electronGypArgs(t, devdir)], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new NativeBuildError(
        `building ${pkg} for Electron ${t.electronVersion} failed (exit ${r.status ?? r.signal}). It needs Electron's headers from ${ELECTRON_HEADERS_URL} ` +
          '(network) and a C++ compiler (make, g++, python3; libpcsclite-dev for pcsclite).',
      );
    }
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const archArg = process.argv.find((a) => a.startsWith('--arch='));
  const target: NativeBuildTarget = { electronVersion: electronPackageVersion(repoRoot), platform: process.platform, arch: archArg?.slice('--arch='.length) ?? process.arch };
  try {
    buildForElectron(target);
    console.log('electron:native: done');
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
