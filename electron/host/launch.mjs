// @ts-check
/**
 * `npm start`: brings the renderer build and the host bundle up to date with their sources (only
 * what is stale is rebuilt: a fresh checkout builds both once), then runs the bundled host
 * (out/host/<build>/start.js, built from start.ts by bundle.ts).
 *
 * Plain JavaScript on purpose: starting through tsx costs about 0.35 s before the first line runs,
 * a third of the one-second cold-start budget. This file needs no compilation, checks file dates
 * only, and calls tsx (bundle.ts, the renderer build) only when something must be rebuilt.
 * `tsx electron/host/start.ts` still runs the host from source, without the bundle.
 *
 * current.json's format is written by bundle.ts (HostBuild in bundle-paths.ts).
 */
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOST_OUT = path.join(REPO, 'out/host');
const RENDERER_INDEX = path.join(REPO, 'out/renderer/index.html');
/** What the renderer build is made of: its own sources and the pure modules it shares with the core. */
const RENDERER_SOURCES = ['renderer/index.html', 'renderer/src', 'electron/contract', 'electron/domain', 'native/jpki/passwords.ts', 'electron.vite.config.ts'];

/** @param {string} file */
function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Whether any file at or under `p` changed after `than`.
 * @param {string} p
 * @param {number} than
 * @returns {boolean}
 */
function changedAfter(p, than) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return false;
  }
  if (!st.isDirectory()) return st.mtimeMs > than;
  return fs.readdirSync(p).some((name) => changedAfter(path.join(p, name), than));
}

function rendererStale() {
  const built = mtime(RENDERER_INDEX);
  return built === undefined || RENDERER_SOURCES.some((p) => changedAfter(path.join(REPO, p), built));
}

/** The current host build's entry, or undefined when it is missing or older than one of its sources. */
function freshHostEntry() {
  try {
    /** @type {{ build?: unknown, inputs?: unknown }} */
    const current = JSON.parse(fs.readFileSync(path.join(HOST_OUT, 'current.json'), 'utf8'));
    if (typeof current.build !== 'string' || !Array.isArray(current.inputs) || current.inputs.length === 0) return undefined;
    const entry = path.join(HOST_OUT, current.build, 'start.js');
    const built = fs.statSync(entry).mtimeMs;
    return current.inputs.some((f) => (mtime(String(f)) ?? Infinity) > built) ? undefined : entry;
  } catch {
    return undefined;
  }
}

const rebuild = process.env.KIOSK_REBUILD === '1';
// KIOSK_USE_BUILT_RENDERER=1: serve out/renderer as it is (a test run builds it once, first).
if (process.env.KIOSK_USE_BUILT_RENDERER !== '1' && (rebuild || rendererStale())) {
  console.log('building the renderer…');
  execFileSync('npx', ['electron-vite', 'build'], { cwd: REPO, stdio: 'inherit' });
}
let entry = rebuild ? undefined : freshHostEntry();
if (entry === undefined) {
  console.log('bundling the host…');
  execFileSync(process.execPath, ['--import', 'tsx', 'electron/host/bundle.ts'], { cwd: REPO, stdio: 'inherit' });
  entry = freshHostEntry();
  if (entry === undefined) throw new Error('the host bundle is missing after building it (out/host/current.json)');
}
// Built just now if asked: the host must not build the renderer a second time.
delete process.env.KIOSK_REBUILD;
await import(pathToFileURL(entry).href);
