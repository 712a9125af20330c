/**
 * `npm run electron [-- --kiosk|--windowed|--trainer=tray|window|off]`: runs the shell from this
 * checkout: checks for the Electron binary, builds main/preload/renderer, makes sure the
 * per-runtime native modules have their Electron build, then starts Electron on the checkout.
 * Development shell by default (KIOSK_SIM_SHELL=production to try the locked-down one).
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ElectronBinaryMissing, requireElectronBinary } from './electron-binary';
import { buildForElectron, electronNativeReady, type NativeBuildTarget } from './native-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds what `electron .` needs from this checkout; returns the binary. */
export function prepareCheckout(log: (line: string) => void = console.log): string {
  const electron = requireElectronBinary({ from: repoRoot });
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const target: NativeBuildTarget = { electronVersion: electron.version, platform: process.platform, arch: process.arch };
  if (!electronNativeReady(repoRoot, target)) buildForElectron(target, log);
  return electron.path;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const binary = prepareCheckout();
    const child = spawn(binary, [repoRoot, ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  } catch (err) {
    console.error(`npm run electron: ${err instanceof ElectronBinaryMissing ? err.message : err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
