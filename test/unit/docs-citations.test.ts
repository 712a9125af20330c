/**
 * Every markdown file the repository's sources and docs cite is in the repository, and every
 * section they cite by number is a numbered heading of it ("## 4. PINs"). A citation of background
 * notes kept outside the repository fails here, as does a section that was renumbered away.
 *
 * A citation is a path ending in ".md" (resolved from the citing file's folder, then the root, then
 * docs/), optionally followed by section signs and numbers; in a markdown file a section sign with
 * no file before it cites that file itself. Addresses (anything with "://") are not citations.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Written as an escape so this file holds no section sign of its own. */
const SECTION = '\u00a7';
const MD = '.md';

const BINARY = /\.(png|jpe?g|gif|ico|icns|webp|woff2?|ttf|otf|node|so|gz|zip|sqlite)$/i;

/** Tracked files and new ones not ignored: what the repository holds, or will once committed. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  return out
    .split('\0')
    .filter((f) => f !== '')
    .filter((f) => {
      // Deleted but still in the index, or a symlink such as a worktree's node_modules: not a file here.
      const st = fs.lstatSync(path.join(root, f), { throwIfNoEntry: false });
      return st?.isFile() === true;
    });
}

const files = repositoryFiles();
const fileSet = new Set(files);

interface Citation {
  readonly from: string;
  readonly line: number;
  /** As written. */
  readonly cited: string;
  /** The repository file it resolves to, if any. */
  readonly target: string | undefined;
  readonly sections: readonly number[];
}

const CITATION = new RegExp(
  // a path ending in .md, not the tail of a longer word (an address's path is matched, then skipped)
  String.raw`(?<![\w.-])((?:[\w.-]+/)*[\w-]+\.md)(?![\w-])` +
    // then any closing link or code marks, and section numbers: one, or several joined by a comma,
    // "and" or a dash (a range)
    String.raw`([)\]\x60*]*(?:\s*(?:,\s*and|,|and|–|-)?\s*${SECTION}\s*\d+)*)`,
  'g',
);
const SECTION_NUMBER = new RegExp(`${SECTION}\\s*(\\d+)`, 'g');

function resolve(from: string, cited: string): string | undefined {
  const candidates = [path.posix.join(path.posix.dirname(from), cited), path.posix.normalize(cited), path.posix.join('docs', cited)];
  return candidates.find((c) => fileSet.has(c));
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The whitespace-delimited word around `index`. */
function wordAt(text: string, index: number): string {
  let start = index;
  while (start > 0 && !/\s/.test(text[start - 1] ?? '')) start--;
  let end = index;
  while (end < text.length && !/\s/.test(text[end] ?? '')) end++;
  return text.slice(start, end);
}

/** The citations in `text` (the content of repository file `from`), and section signs citing nothing. */
function citationsIn(from: string, text: string): { citations: Citation[]; orphanSections: number[] } {
  const citations: Citation[] = [];
  const covered: Array<readonly [number, number]> = [];
  for (const m of text.matchAll(CITATION)) {
    covered.push([m.index, m.index + m[0].length]);
    // An address's sections are the address's business.
    if (wordAt(text, m.index).includes('://')) continue;
    const cited = m[1] ?? '';
    const sections = [...(m[2] ?? '').matchAll(SECTION_NUMBER)].map((s) => Number(s[1]));
    citations.push({ from, line: lineAt(text, m.index), cited, target: resolve(from, cited), sections });
  }
  const orphanSections: number[] = [];
  for (const s of text.matchAll(SECTION_NUMBER)) {
    if (covered.some(([a, b]) => s.index >= a && s.index < b)) continue;
    if (from.endsWith(MD)) {
      // A bare section sign in a markdown file cites that file.
      citations.push({ from, line: lineAt(text, s.index), cited: path.posix.basename(from), target: from, sections: [Number(s[1])] });
    } else {
      orphanSections.push(lineAt(text, s.index));
    }
  }
  return { citations, orphanSections };
}

const headingCache = new Map<string, Set<number>>();

/** The section numbers of a markdown file: headings such as "## 4. PINs". */
function numberedHeadings(file: string): Set<number> {
  let found = headingCache.get(file);
  if (found === undefined) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    found = new Set([...text.matchAll(/^#{1,6}\s+(\d+)\.\s/gm)].map((m) => Number(m[1])));
    headingCache.set(file, found);
  }
  return found;
}

/** What is wrong with the citations of one file, one line per problem. */
function problemsIn(from: string, text: string): string[] {
  const { citations, orphanSections } = citationsIn(from, text);
  const problems: string[] = [];
  for (const c of citations) {
    if (c.target === undefined) {
      problems.push(`${c.from}:${c.line}: cites ${c.cited}, which is not in the repository`);
      continue;
    }
    const headings = numberedHeadings(c.target);
    for (const n of c.sections) {
      if (!headings.has(n)) problems.push(`${c.from}:${c.line}: cites ${c.cited} ${SECTION}${n}, but ${c.target} has no heading "## ${n}."`);
    }
  }
  for (const line of orphanSections) problems.push(`${from}:${line}: a section sign with no markdown file before it`);
  return problems;
}

function readText(file: string): string | undefined {
  if (BINARY.test(file)) return undefined;
  const buf = fs.readFileSync(path.join(root, file));
  return buf.includes(0) ? undefined : buf.toString('utf8');
}

describe('citations of markdown files', () => {
  it('every cited file is in the repository, and every cited section is one of its numbered headings', () => {
    const problems: string[] = [];
    let count = 0;
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      count += citationsIn(file, text).citations.length;
      problems.push(...problemsIn(file, text));
    }
    expect(problems).toEqual([]);
    // The scan itself works: the tree cites its docs in dozens of places.
    expect(count).toBeGreaterThan(60);
  });

  it('the docs the code cites are there', () => {
    for (const doc of ['docs/card.md', 'docs/domain-rules.md', 'docs/kiosk-flow.md', 'docs/reset-protocol.md', 'docs/architecture.md']) {
      expect(fileSet.has(doc), doc).toBe(true);
    }
  });

  describe('the checker', () => {
    const check = (from: string, text: string) => problemsIn(from, text);

    it('refuses a citation of a file outside the repository, with or without a section', () => {
      expect(check('native/x.ts', `// see jpki-card${MD} ${SECTION}3`)).toHaveLength(1);
      expect(check('native/x.ts', `// see counter${MD}`)).toHaveLength(1);
      expect(check('README.md', `see ../shared/docs/users${MD}`)).toHaveLength(1);
    });

    it('refuses a section the file does not have', () => {
      expect(check('native/x.ts', `// docs/card${MD} ${SECTION}99`)).toEqual([
        `native/x.ts:1: cites docs/card${MD} ${SECTION}99, but docs/card${MD} has no heading "## 99."`,
      ]);
      expect(check('native/x.ts', `// docs/card${MD} ${SECTION}3, ${SECTION}99`)).toHaveLength(1);
    });

    it('refuses a section sign that names no file, outside markdown', () => {
      expect(check('native/x.ts', `// the reset (${SECTION}10)`)).toHaveLength(1);
    });

    it('accepts good citations: by path, by name under docs/, as a link, several sections, a range', () => {
      expect(check('native/x.ts', `// docs/card${MD} ${SECTION}3, ${SECTION}6; reset-protocol${MD}`)).toEqual([]);
      expect(check(`docs/x${MD}`, `[card${MD}](card${MD}) ${SECTION}10, and ${SECTION}1–${SECTION}2`)).toEqual([]);
      expect(check('docs/card.md', `${SECTION}1–${SECTION}8 of this file`)).toEqual([]);
    });

    it('ignores addresses', () => {
      expect(check('native/x.ts', `// https://example.org/a/jpki-card${MD} ${SECTION}4`)).toEqual([]);
    });
  });
});
