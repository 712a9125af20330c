/**
 * `npm run bench [name…]`: runs every benchmark module in bench/ (files named *.bench.ts), each of
 * which exports `name` and `run(): Promise<BenchResult>`, and writes one JSON file per benchmark to
 * bench/results/<name>.json with the machine and the date. Targets are checked here and printed,
 * never asserted by timed unit tests; the exit code is non-zero when a target is missed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchTarget {
  /** What is measured, e.g. "APDU round trip p50 (ms)". */
  readonly what: string;
  readonly value: number;
  /** The figure must be at most this. */
  readonly max: number;
}

export interface BenchResult {
  /** Figures, free-form but JSON-serializable. */
  readonly figures: Record<string, unknown>;
  readonly targets: readonly BenchTarget[];
}

export interface BenchModule {
  readonly name: string;
  run(): Promise<BenchResult>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(only: string[]): Promise<number> {
  const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  let missed = 0;
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(here, f)).href)) as BenchModule;
    if (only.length > 0 && !only.includes(mod.name)) continue;
    console.log(`bench ${mod.name}…`);
    const result = await mod.run();
    const record = {
      benchmark: mod.name,
      machine: { hostname: os.hostname(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
      date: new Date().toISOString(),
      ...result,
      targets: result.targets.map((t) => ({ ...t, met: t.value <= t.max })),
    };
    fs.writeFileSync(path.join(here, 'results', `${mod.name}.json`), JSON.stringify(record, null, 2) + '\n');
    for (const t of record.targets) {
      console.log(`  ${t.met ? 'ok  ' : 'MISS'} ${t.what}: ${t.value} (target ≤ ${t.max})`);
      if (!t.met) missed++;
    }
  }
  return missed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
