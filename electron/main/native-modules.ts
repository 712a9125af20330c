/**
 * Native modules in two runtimes on one checkout.
 *
 * The quick-ACK addon is Node-API: one build loads in plain Node and in Electron. `pcsclite`
 * (NAN) and `better-sqlite3` (V8's C++ API) are compiled against one runtime's ABI: the build in
 * node_modules/<pkg>/build/ is for Node (tests, the browser host, every CLI), and loading it in
 * Electron fails with "NODE_MODULE_VERSION … was compiled against a different Node.js version".
 * Rebuilding them in place for Electron (electron-rebuild, electron-builder's npmRebuild) would
 * break the Node side of the same checkout.
 *
 * So each runtime has its own build location:
 *   - Node:     node_modules/<pkg>/build/Release/*.node (npm ci builds it);
 *   - Electron: node_modules/.electron-native/electron-<version>-<platform>-<arch>/<pkg>/build/Release/*.node
 *               (`npm run electron:native`, electron/packaging/native-electron.ts), and in a packaged
 *               app <resources>/native/<pkg>/build/Release/*.node.
 * In the Electron main process, installNativeRedirect() maps every load of such a module's .node
 * file to the Electron build before the runtime's modules are imported. No file of those packages
 * or of our loaders (native/pcsc/binding.ts, better-sqlite3's `bindings`) changes.
 *
 * This file must not import `electron`: the packaging scripts use it under plain Node.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Packages whose native build is per runtime (not Node-API). */
export const PER_RUNTIME_MODULES = ['pcsclite', 'better-sqlite3'] as const;
export type PerRuntimeModule = (typeof PER_RUNTIME_MODULES)[number];

/** Folder under node_modules holding the Electron builds, one subfolder per Electron version and platform. */
export const ELECTRON_NATIVE_DIR = '.electron-native';

/** e.g. "electron-40.10.2-linux-x64". */
export function electronNativeTag(electronVersion: string, platform: string, arch: string): string {
  return `electron-${electronVersion}-${platform}-${arch}`;
}

/** Where a checkout keeps the Electron builds for one Electron version and platform. */
export function checkoutNativeRoot(repoRoot: string, tag: string): string {
  return path.join(repoRoot, 'node_modules', ELECTRON_NATIVE_DIR, tag);
}

/**
 * The Electron build that replaces a .node file, or undefined when the file is not one of the
 * per-runtime modules' builds (the quick-ACK addon, anything else: loaded as is). Matches on the
 * path's tail `node_modules/<pkg>/build/<Release|Debug>/<file>.node`, so the same rule works in a
 * checkout and inside a packaged app.asar.
 */
export function redirectNativePath(file: string, nativeRoot: string): string | undefined {
  const parts = file.split(/[\\/]+/);
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i] !== 'node_modules') continue;
    const pkg = parts[i + 1];
    const rest = parts.slice(i + 2);
    if (pkg === undefined || !(PER_RUNTIME_MODULES as readonly string[]).includes(pkg)) return undefined;
    if (rest.length !== 3 || rest[0] !== 'build' || (rest[1] !== 'Release' && rest[1] !== 'Debug') || !rest[2]?.endsWith('.node')) return undefined;
    return path.join(nativeRoot, pkg, ...rest);
  }
  return undefined;
}

export class NativeModuleError extends Error {
  readonly code = 'ELECTRON_NATIVE_MISSING';
  constructor(
    readonly pkg: string,
    readonly expected: string,
  ) {
    super(`${pkg} has no build for this Electron (${expected} is missing): run \`npm run electron:native\` once per Electron version`);
    this.name = 'NativeModuleError';
  }
}

type Dlopen = (module: { exports: unknown }, filename: string, ...flags: number[]) => void;

/**
 * Wraps process.dlopen (which Node's loader calls for every .node file) to load per-runtime
 * modules from `nativeRoot`. Returns a function that restores the previous dlopen.
 */
export function installNativeRedirect(nativeRoot: string, exists: (file: string) => boolean = fs.existsSync): () => void {
  const proc = process as unknown as { dlopen: Dlopen };
  const original = proc.dlopen;
  // `flags` passed on only as given: Node refuses an explicit undefined.
  proc.dlopen = function dlopen(module, filename, ...flags) {
    const target = redirectNativePath(filename, nativeRoot);
    if (target === undefined) return original.call(process, module, filename, ...flags);
    if (!exists(target)) {
      const pkg = path.basename(path.dirname(path.dirname(path.dirname(target))));
      throw new NativeModuleError(pkg, target);
    }
    return original.call(process, module, target, ...flags);
  };
  return () => {
    proc.dlopen = original;
  };
}
