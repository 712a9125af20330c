/** Where the bundled host lives (shared by bundle.ts, which builds it, and launch.ts, which runs it). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HOST_BUNDLE = path.join(REPO, 'out/host/start.mjs');
/** The source files the bundle was built from, as JSON: a newer one makes the bundle stale. */
export const HOST_BUNDLE_INPUTS = path.join(REPO, 'out/host/inputs.json');
