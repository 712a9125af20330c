/**
 * The center-postgres test group runs the center's tests on PostgreSQL: one real server for the
 * whole run (test/fakes/postgres-server.ts), stopped at the end. Each test file makes its own
 * database on it (center-fixture.ts). Without PostgreSQL installed this fails the run, never skips.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from '../fakes/postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://user:password@127.0.0.1:port/ — a database name completes it. */
    centerPostgresBase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  project.provide('centerPostgresBase', server.url(''));
  return () => server.stop();
}
