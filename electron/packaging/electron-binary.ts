/**
 * Finds the Electron binary the way Electron's own package does (`require('electron')` returns its
 * path under plain Node), and says clearly why there is none. On this project's machines the
 * package is installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (no download is possible), so the
 * types are there and the binary is not; `npm run dist`, `npm run electron` and
 * `npm run test:electron` all ask here first.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary =
  | { readonly ok: true; readonly path: string; readonly version: string }
  | { readonly ok: false; readonly reason: 'package-missing' | 'binary-missing'; readonly detail: string };

export class ElectronBinaryMissing extends Error {
  readonly code = 'ELECTRON_BINARY_MISSING';
  constructor(readonly detail: string) {
    super(`No Electron binary: ${detail}\n${HOW_TO_GET_ONE}`);
    this.name = 'ElectronBinaryMissing';
  }
}

export const HOW_TO_GET_ONE = [
  'The electron package is installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1). On a machine',
  'that can download it, run `node node_modules/electron/install.js`; or point ELECTRON_OVERRIDE_DIST_PATH',
  'at an unpacked Electron of the version in node_modules/electron/package.json.',
].join('\n');

export interface FindOptions {
  /** Where to resolve `electron` from (the repository). */
  readonly from?: string;
  /** For tests: how `require('electron')` behaves. */
  readonly requireElectron?: () => unknown;
  readonly exists?: (file: string) => boolean;
}

export function findElectronBinary(opts: FindOptions = {}): ElectronBinary {
  const require = createRequire(path.join(opts.from ?? process.cwd(), 'package.json'));
  let version = 'unknown';
  let resolved: unknown;
  try {
    version = (require('electron/package.json') as { version: string }).version;
    resolved = (opts.requireElectron ?? (() => require('electron')))();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const missingPackage = /Cannot find module 'electron/.test(message);
    return {
      ok: false,
      reason: missingPackage ? 'package-missing' : 'binary-missing',
      detail: missingPackage ? 'the electron package is not installed (npm ci)' : `node_modules/electron has no binary (${message.split('\n')[0]})`,
    };
  }
  if (typeof resolved !== 'string' || !(opts.exists ?? fs.existsSync)(resolved)) {
    return { ok: false, reason: 'binary-missing', detail: `${String(resolved)} does not exist` };
  }
  return { ok: true, path: resolved, version };
}

/** The binary, or an ElectronBinaryMissing error that says what to do. */
export function requireElectronBinary(opts: FindOptions = {}): { path: string; version: string } {
  const found = findElectronBinary(opts);
  if (!found.ok) throw new ElectronBinaryMissing(found.detail);
  return { path: found.path, version: found.version };
}

/** The Electron version the checkout builds for (from the package, binary or not). */
export function electronPackageVersion(from: string = process.cwd()): string {
  const require = createRequire(path.join(from, 'package.json'));
  return (require('electron/package.json') as { version: string }).version;
}
