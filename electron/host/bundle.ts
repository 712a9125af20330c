/**
 * The browser host bundled (out/host/<build>/start.js and its chunks), so that `npm start` does
 * not load ~1200 modules through tsx at every start (about 1.4 s to the URL on a busy two-core
 * machine; the bundle needs about 0.15 s). esbuild bundles electron/host/start.ts with everything
 * it imports except the native addons, which stay where npm built them.
 *
 * Modules that find files next to themselves (the slot daemon, the quick-ACK addon, the card
 * module) use `import.meta.url`; in a bundle that would be the bundle's URL, so each such use is
 * rewritten to the module's own location, relative to the bundle (which stays inside the
 * checkout, in out/host/).
 *
 *   tsx electron/host/bundle.ts     builds it (launch.mjs does so by itself when it is stale)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { HOST_CURRENT, HOST_OUT, REPO, type HostBuild } from './bundle-paths';

/** Rewrites `import.meta.url` in each bundled TypeScript module to that module's own URL. */
function ownImportMetaUrl(outdir: string): esbuild.Plugin {
  return {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

/** Older builds go, once no host can still be loading chunks from them (they load within seconds of starting). */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;

/**
 * Builds the host into a new out/host/<build>/ and makes it current. Split into chunks: what
 * start.ts imports only after the page is served (the virtual-card desk with its X.509 code, the
 * embedded center with Fastify and SQLite) is parsed only then, which halves the time to the URL.
 */
export async function buildHostBundle(): Promise<{ build: string; inputs: number; bytes: number }> {
  const build = `${Date.now().toString(36)}-${process.pid}`;
  const outdir = path.join(HOST_OUT, build);
  const result = await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: { start: path.join(REPO, 'electron/host/start.ts') },
    outdir,
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons and the packages that load them stay in node_modules, built for this Node.
    external: ['pcsclite', 'better-sqlite3', '*.node'],
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __hostCreateRequire } from 'node:module'; const require = __hostCreateRequire(import.meta.url);" },
    plugins: [ownImportMetaUrl(outdir)],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(REPO, p));
  const current: HostBuild = { build, inputs };
  const tmp = `${HOST_CURRENT}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(current));
  fs.renameSync(tmp, HOST_CURRENT);
  for (const name of fs.readdirSync(HOST_OUT)) {
    const dir = path.join(HOST_OUT, name);
    if (name === build || !fs.statSync(dir).isDirectory()) continue;
    if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { build, inputs: inputs.length, bytes };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildHostBundle().then(
    (r) => console.log(`built out/host/${r.build} (${r.inputs} modules, ${Math.round(r.bytes / 1024)} KiB)`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
