/**
 * The library preloaded into the pcscd we start so that Debian's vpcd waits for virtual cards on
 * 127.0.0.1 only (loopback-bind.c says why). Built with the system's C compiler on first use, and
 * again when the source changes: .ci/setup installs one (make, g++) for the native addons anyway.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** loopback-bind.c next to this module or, when it is bundled (out/main/chunks/…), in the checkout above. */
function sourceFile(): string | undefined {
  const beside = path.join(here, 'loopback-bind.c');
  if (fs.existsSync(beside)) return beside;
  for (let dir = here; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const inCheckout = path.join(dir, 'native', 'pcscd', 'loopback-bind.c');
    if (fs.existsSync(inCheckout)) return inCheckout;
  }
  return undefined;
}

function builtAfter(lib: string, source: string): boolean {
  try {
    return fs.statSync(lib).mtimeMs >= fs.statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

/** The path of the built library (native/pcscd/build/loopback-bind.so); throws when it cannot be built. */
export function loopbackBindLibrary(): string {
  const source = sourceFile();
  if (!source) throw new Error(`loopback-bind.c not found (looked in ${here} and native/pcscd above it)`);
  const lib = path.join(path.dirname(source), 'build', 'loopback-bind.so');
  if (builtAfter(lib, source)) return lib;
  fs.mkdirSync(path.dirname(lib), { recursive: true });
  // Built aside and renamed: a pcscd started meanwhile by another process never loads half a file.
  const partial = `${lib}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', '-o', partial, source, '-ldl'], { stdio: ['ignore', 'ignore', 'pipe'] });
    fs.renameSync(partial, lib);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    throw new Error(`cannot build ${lib} with cc (install make and g++: bash .ci/setup): ${detail}`);
  }
  return lib;
}
