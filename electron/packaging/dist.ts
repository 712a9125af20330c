/**
 * `npm run dist [-- --flavor=production|test] [--linux] [--win]`: installable packages with
 * electron-builder — Linux AppImage and deb, Windows nsis — in out/dist/<flavor>/.
 *
 *   1. the Electron binary must exist (else a clear message and exit 1: nothing is downloaded
 *      on machines without one);
 *   2. electron-vite builds main, preload and renderer;
 *   3. the per-runtime native modules need an Electron build for each target platform (built here
 *      for the host platform when missing; another platform's must be built on it);
 *   4. electron-builder packages with builder-config.ts (fuses flipped, no rebuild in the checkout);
 *   5. the packaged binary's fuses are read back and must match.
 * Defaults: the host platform only (Windows packages need the Windows native builds).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import electronBuilder from 'electron-builder';
import { BRANDING, builderConfig, type BuildFlavor } from './builder-config';
import { ElectronBinaryMissing, requireElectronBinary } from './electron-binary';
import { verifyPackagedFuses } from './fuses';
import { buildForElectron, electronModuleDir, electronNativeReady, type NativeBuildTarget } from './native-electron';

const { build, Platform, Arch } = electronBuilder;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class DistError extends Error {
  readonly code = 'DIST_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'DistError';
  }
}

export interface DistArgs {
  readonly flavor: BuildFlavor;
  readonly platforms: readonly ('linux' | 'win32')[];
}

export function parseDistArgs(argv: readonly string[], host: NodeJS.Platform): DistArgs {
  let flavor: BuildFlavor = 'production';
  const platforms: ('linux' | 'win32')[] = [];
  for (const a of argv) {
    if (a === '--flavor=production' || a === '--flavor=test') flavor = a.slice('--flavor='.length) as BuildFlavor;
    else if (a === '--linux') platforms.push('linux');
    else if (a === '--win') platforms.push('win32');
    else throw new DistError(`unknown argument ${a} (use --flavor=production|test, --linux, --win)`);
  }
  if (platforms.length === 0) {
    if (host !== 'linux' && host !== 'win32') throw new DistError(`packaging is configured for Linux and Windows, not ${host}`);
    platforms.push(host);
  }
  return { flavor, platforms };
}

/**
 * electron-builder rebuilds native modules with @electron/rebuild 4, which needs Node 22.12+; say so
 * up front instead of failing deep inside a build.
 */
export function packagingNodeProblem(nodeVersion: string): string | null {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return null;
  return `packaging needs Node 22.12 or later (electron-builder's native rebuild requires it); this is Node ${nodeVersion}`;
}

async function main(): Promise<void> {
  const args = parseDistArgs(process.argv.slice(2), process.platform);
  const electron = requireElectronBinary({ from: repoRoot });
  const nodeProblem = packagingNodeProblem(process.version);
  if (nodeProblem !== null) throw new DistError(nodeProblem);
  console.log(`dist: Electron ${electron.version} at ${electron.path}`);
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });

  for (const platform of args.platforms) {
    const target: NativeBuildTarget = { electronVersion: electron.version, platform, arch: 'x64' };
    if (!electronNativeReady(repoRoot, target)) {
      if (platform !== process.platform) {
        throw new DistError(`no Electron build of the native modules for ${platform}: run \`npm run electron:native\` on ${platform} (same checkout, same Electron version) first`);
      }
      buildForElectron(target);
    }
    const nativeDir = path.dirname(electronModuleDir(repoRoot, target, 'pcsclite'));
    const local = platform === process.platform;
    const config = builderConfig({ flavor: args.flavor, nativeDir, ...(local && { electronDist: path.dirname(electron.path) }) });
    const targets = platform === 'linux' ? Platform.LINUX.createTarget(['AppImage', 'deb'], Arch.x64) : Platform.WINDOWS.createTarget(['nsis'], Arch.x64);
    const artifacts = await build({ projectDir: repoRoot, config, targets, publish: 'never' });
    for (const a of artifacts) console.log(`dist: ${path.relative(repoRoot, a)}`);

    const unpacked = path.join(repoRoot, 'out', 'dist', args.flavor, platform === 'linux' ? 'linux-unpacked' : 'win-unpacked');
    const binary = path.join(unpacked, platform === 'linux' ? BRANDING.executableName : `${BRANDING.executableName}.exe`);
    const mismatches = await verifyPackagedFuses(binary, args.flavor);
    if (mismatches.length > 0) {
      throw new DistError(`fuses of ${binary} are not as configured: ${mismatches.map((m) => `${m.fuse} expected ${m.expected ? 'on' : 'off'}, is ${m.actual}`).join('; ')}`);
    }
    console.log(`dist: fuses verified (${args.flavor}) in ${path.relative(repoRoot, binary)}`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    if (err instanceof ElectronBinaryMissing) console.error(`npm run dist: ${err.message}`);
    else console.error(`npm run dist: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
