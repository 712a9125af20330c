/**
 * `npm start`: brings the renderer build and the host bundle up to date with their sources (only
 * what is stale is rebuilt: a fresh checkout builds both once) and runs the bundled host
 * (out/host/start.mjs, built from start.ts by bundle.ts). The checks are file stats only and the
 * bundler is loaded only when a build is needed, so this step takes milliseconds when nothing changed.
 *
 * `tsx electron/host/start.ts` still runs the host from source, without the bundle.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { HOST_BUNDLE, REPO } from './bundle-paths';
import { hostBundleStale, rendererStale } from './launch-checks';

async function main(): Promise<void> {
  // KIOSK_USE_BUILT_RENDERER=1: serve out/renderer as it is (a test run builds it once, first).
  if (process.env.KIOSK_USE_BUILT_RENDERER !== '1' && (rendererStale() || process.env.KIOSK_REBUILD === '1')) {
    console.log('building the renderer…');
    execFileSync('npx', ['electron-vite', 'build'], { cwd: REPO, stdio: 'inherit' });
  }
  if (hostBundleStale() || process.env.KIOSK_REBUILD === '1') {
    console.log('bundling the host…');
    await (await import('./bundle')).buildHostBundle();
  }
  // Built just now if asked: the host must not build the renderer a second time.
  delete process.env.KIOSK_REBUILD;
  await import(pathToFileURL(HOST_BUNDLE).href);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
