/**
 * `npm run scenario -- <command>`: the trainer's tool for exercise scenarios (docs/scenarios.md).
 *
 *   check FILE…       validate scenario files; every problem on its own line, exit 1 on any
 *   list [DIR…]       the built-in scenarios and those in DIR…, one per line (exit 1 on a bad file)
 *   schema [--check]  write scenarios/scenario.schema.json from the TypeBox schema (--check: only compare)
 *
 * A file is also refused when its id is already taken by another file it is checked with, or by a
 * built-in scenario (the two could not be loaded together).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_SCENARIO_DIR, formatProblem, loadScenario, scanScenarios, scenarioJsonSchema, ScenarioError, type LoadedScenario, type ScenarioProblem } from './scenario';

export const SCENARIO_USAGE = `usage: npm run scenario -- <command>
  check FILE…       validate scenario files (YAML or JSON); each problem on its own line
  list [DIR…]       list the built-in scenarios and those in DIR…
  schema [--check]  write scenarios/scenario.schema.json (--check: exit 1 if it is out of date)`;

export const SCHEMA_FILE = path.join(BUILT_IN_SCENARIO_DIR, 'scenario.schema.json');

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export function schemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
}

function check(files: readonly string[], io: CliIo): number {
  if (files.length === 0) {
    io.err(SCENARIO_USAGE);
    return 2;
  }
  const problems: ScenarioProblem[] = [];
  const good: LoadedScenario[] = [];
  for (const file of files) {
    try {
      good.push({ scenario: loadScenario(file), file });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      problems.push(...err.problems);
    }
  }
  // An id is one exercise: it may not be taken by another file checked here, nor by a built-in one.
  const taken = new Map(scanScenarios(BUILT_IN_SCENARIO_DIR).scenarios.map((l) => [l.scenario.id, path.resolve(l.file)]));
  for (const l of good) {
    const other = taken.get(l.scenario.id);
    if (other !== undefined && other !== path.resolve(l.file)) {
      problems.push({ file: l.file, path: '$.id', message: `${JSON.stringify(l.scenario.id)} is already the id of ${path.relative(process.cwd(), other) || other}` });
    } else {
      taken.set(l.scenario.id, path.resolve(l.file));
      io.out(`ok ${l.file} (${l.scenario.id})`);
    }
  }
  for (const p of problems) io.err(formatProblem(p));
  return problems.length > 0 ? 1 : 0;
}

function list(dirs: readonly string[], io: CliIo): number {
  const { scenarios, problems } = scanScenarios(BUILT_IN_SCENARIO_DIR, ...dirs);
  for (const { scenario: s } of scenarios) {
    const goal = 'reset' in s.success ? `reset ${s.success.reset}` : `guidance ${s.success.guidance}`;
    io.out(`${s.id.padEnd(30)} ${s.persona.padEnd(13)} ${s.chain.padEnd(15)} ${goal.padEnd(36)} ${s.title.en}`);
  }
  for (const p of problems) io.err(formatProblem(p));
  return problems.length > 0 ? 1 : 0;
}

function schema(args: readonly string[], io: CliIo): number {
  const want = schemaText();
  const have = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (args.includes('--check')) {
    if (have === want) return 0;
    io.err(`${SCHEMA_FILE} is out of date: run npm run scenario -- schema`);
    return 1;
  }
  if (have !== want) fs.writeFileSync(SCHEMA_FILE, want);
  io.out(`${have === want ? 'unchanged' : 'wrote'} ${SCHEMA_FILE}`);
  return 0;
}

export function runScenarioCli(argv: readonly string[], io: CliIo = consoleIo): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return check(rest, io);
    case 'list':
      return list(rest, io);
    case 'schema':
      return schema(rest, io);
    case undefined:
    case 'help':
    case '--help':
      io.out(SCENARIO_USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`unknown command ${JSON.stringify(command)}\n${SCENARIO_USAGE}`);
      return 2;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = runScenarioCli(process.argv.slice(2));
}
