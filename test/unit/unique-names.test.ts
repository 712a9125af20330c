/**
 * One name per meaning: no two source files export a type, interface, class or enum of the same
 * name. Two `CenterError`s (the HTTP client's and the kiosk port's) or two `ReaderStatus`es (the
 * contract's and the PC/SC service's) made a reader check which one a file meant; a new collision
 * fails here with both places named. A schema constant that shares its name with the domain type it
 * validates (the center's `MaintenanceWindow`) is a value, not a type, and is not counted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DECLARATION = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:type|interface|class|enum)\s+([A-Za-z_$][\w$]*)/gm;

/** Exported type-level names → the files that export them. */
export function exportedTypeNames(files: ReadonlyArray<{ readonly file: string; readonly text: string }>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const { file, text } of files) {
    for (const m of text.matchAll(DECLARATION)) {
      const name = m[1] as string;
      const where = byName.get(name) ?? [];
      if (!where.includes(file)) where.push(file);
      byName.set(name, where);
    }
  }
  return byName;
}

function sources(): { file: string; text: string }[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'electron', 'native', 'renderer'], { cwd: repo, encoding: 'utf8' });
  return listed
    .split('\n')
    .filter((f) => /\.(ts|mts|vue)$/.test(f) && fs.existsSync(path.join(repo, f)))
    .map((file) => ({ file, text: fs.readFileSync(path.join(repo, file), 'utf8') }));
}

describe('one name per meaning', () => {
  it('no type, interface, class or enum name is exported from two files', () => {
    const clashes = [...exportedTypeNames(sources())].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(clashes).toEqual([]);
  });

  it('the check sees a clash (it would fail on the names this project once had twice)', () => {
    const planted = exportedTypeNames([
      { file: 'electron/center/client.ts', text: 'export class CenterError extends Error {}\n' },
      { file: 'electron/kiosk/ports.ts', text: 'export class CenterError extends Error {}\nexport type ReaderStatus = string;\n' },
      { file: 'electron/contract/kiosk.ts', text: 'export const ReaderStatusSchema = 1;\nexport type ReaderStatus = string;\n' },
      { file: 'electron/center/schemas.ts', text: 'export const MaintenanceWindow = 1;\n' },
      { file: 'electron/domain/hours.ts', text: 'export interface MaintenanceWindow { from: number }\n' },
    ]);
    expect(planted.get('CenterError')).toEqual(['electron/center/client.ts', 'electron/kiosk/ports.ts']);
    expect(planted.get('ReaderStatus')).toHaveLength(2);
    expect(planted.get('MaintenanceWindow')).toEqual(['electron/domain/hours.ts']);
  });
});
