/**
 * Where the bundled host lives (bundle.ts builds it; launch.mjs, which runs it, reads current.json
 * the same way in plain JavaScript).
 * Each build goes to its own directory, out/host/<build>/ (an entry chunk and the chunks it loads
 * later), and out/host/current.json names the current one: switching builds is one atomic rename,
 * so a host that starts while another process rebuilds never mixes chunks of two builds.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HOST_OUT = path.join(REPO, 'out/host');
export const HOST_CURRENT = path.join(HOST_OUT, 'current.json');

/** What current.json holds. */
export interface HostBuild {
  /** Directory name under out/host/. */
  readonly build: string;
  /** The source files it was built from: a newer one makes it stale. */
  readonly inputs: readonly string[];
}

