/**
 * The renderer's production bundle: builds it with the renderer part of electron.vite.config.ts
 * (as `npm run build` does, into a scratch directory) and measures what a kiosk downloads and
 * parses — every JS and CSS asset, raw and gzipped (zlib's default level, what an HTTP server would
 * send). Target (issue 6): renderer JS ≤ 200 KB gzipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build, type InlineConfig } from 'vite';
import type { BenchResult } from './run';

export const name = 'renderer-bundle';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run(): Promise<BenchResult> {
  // Resolved by electron-vite, with its own build defaults (the shipped renderer is not minified).
  const { config } = await resolveConfig({ root: repo, configFile: 'electron.vite.config.ts', mode: 'production', logLevel: 'error' }, 'build');
  const renderer = config?.renderer;
  if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-bundle-'));
  // As the electron-vite CLI does: without it Vue and Pinia keep their development code.
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...renderer, configFile: false, logLevel: 'error', build: { ...renderer.build, outDir, emptyOutDir: true } } as InlineConfig);
    return measure(path.join(outDir, 'assets'));
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function measure(assets: string): BenchResult {
  const files = fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => {
      const bytes = fs.readFileSync(path.join(assets, f));
      return { file: f, bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes).length };
    });
  const sum = (ext: string, key: 'bytes' | 'gzipBytes') => files.filter((f) => f.file.endsWith(ext)).reduce((n, f) => n + f[key], 0);
  const jsGzip = sum('.js', 'gzipBytes');
  return {
    figures: {
      files,
      jsBytes: sum('.js', 'bytes'),
      jsGzipBytes: jsGzip,
      cssBytes: sum('.css', 'bytes'),
      cssGzipBytes: sum('.css', 'gzipBytes'),
    },
    targets: [{ what: 'renderer JS, gzipped (KB)', value: Math.round(jsGzip / 100) / 10, max: 200 }],
  };
}
