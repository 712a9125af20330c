/**
 * Whether the renderer build and the host bundle are older than their sources (launch.ts rebuilds
 * what is stale before `npm start` runs the host; the benchmark checks the same). File stats only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOST_BUNDLE, HOST_BUNDLE_INPUTS, REPO } from './bundle-paths';

const RENDERER_INDEX = path.join(REPO, 'out/renderer/index.html');
/** What the renderer build is made of: its own sources and the pure modules it shares with the core. */
const RENDERER_SOURCES = ['renderer/index.html', 'renderer/src', 'electron/contract', 'electron/domain', 'electron.vite.config.ts'];

function mtime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether any file at or under `p` changed after `than`. */
function changedAfter(p: string, than: number): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return false;
  }
  if (!st.isDirectory()) return st.mtimeMs > than;
  return fs.readdirSync(p).some((name) => changedAfter(path.join(p, name), than));
}

export function rendererStale(): boolean {
  const built = mtime(RENDERER_INDEX);
  return built === undefined || RENDERER_SOURCES.some((p) => changedAfter(path.join(REPO, p), built));
}

/** Missing, or built before one of its inputs last changed (or an input is gone). */
export function hostBundleStale(): boolean {
  const built = mtime(HOST_BUNDLE);
  if (built === undefined) return true;
  let inputs: unknown;
  try {
    inputs = JSON.parse(fs.readFileSync(HOST_BUNDLE_INPUTS, 'utf8'));
  } catch {
    return true;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return true;
  return inputs.some((f) => typeof f !== 'string' || (mtime(f) ?? Infinity) > built);
}
