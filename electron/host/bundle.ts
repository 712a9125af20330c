/**
 * The browser host as one bundled file, out/host/start.mjs, so that `npm start` does not load
 * ~800 TypeScript modules through tsx at every start (about 1.4 s on a busy two-core machine;
 * the bundle starts in about 0.3 s). esbuild bundles electron/host/start.ts with everything it
 * imports except the native addons, which stay where npm built them.
 *
 * Modules that find files next to themselves (the slot daemon, the quick-ACK addon, the card
 * module) use `import.meta.url`; in a bundle that would be the bundle's URL, so each such use is
 * rewritten to the module's own location, relative to the bundle (the bundle stays inside the
 * checkout, in out/host/).
 *
 *   tsx electron/host/bundle.ts     builds it (launch.ts does so by itself when it is stale)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { HOST_BUNDLE, HOST_BUNDLE_INPUTS, REPO } from './bundle-paths';

/** Rewrites `import.meta.url` in each bundled TypeScript module to that module's own URL. */
function ownImportMetaUrl(outfile: string): esbuild.Plugin {
  return {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const rel = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

/**
 * Builds out/host/start.mjs and records the files it was built from (for launch.ts's staleness
 * check). Written to temporary files and renamed, so a host starting meanwhile never reads half a
 * bundle, and two builds at once do not mix.
 */
export async function buildHostBundle(): Promise<{ inputs: number; bytes: number }> {
  const tmp = `${HOST_BUNDLE}.${process.pid}.tmp.mjs`;
  fs.mkdirSync(path.dirname(HOST_BUNDLE), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: [path.join(REPO, 'electron/host/start.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons and the packages that load them stay in node_modules, built for this Node.
    external: ['pcsclite', 'better-sqlite3', '*.node'],
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __hostCreateRequire } from 'node:module'; const require = __hostCreateRequire(import.meta.url);" },
    plugins: [ownImportMetaUrl(HOST_BUNDLE)],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(REPO, p));
  fs.writeFileSync(`${HOST_BUNDLE_INPUTS}.${process.pid}.tmp`, JSON.stringify(inputs));
  fs.renameSync(tmp, HOST_BUNDLE);
  fs.renameSync(`${HOST_BUNDLE_INPUTS}.${process.pid}.tmp`, HOST_BUNDLE_INPUTS);
  return { inputs: inputs.length, bytes: fs.statSync(HOST_BUNDLE).size };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildHostBundle().then(
    (r) => console.log(`built ${path.relative(REPO, HOST_BUNDLE)} (${r.inputs} modules, ${Math.round(r.bytes / 1024)} KiB)`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
