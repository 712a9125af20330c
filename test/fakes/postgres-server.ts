/**
 * A real PostgreSQL server for the tests, from Debian's `postgresql` package (`.ci/setup` installs
 * it): initdb into a temp dir, `postgres` on 127.0.0.1 at a free port (and its socket in the same
 * dir), password auth with a random password, stopped and removed by `stop()`. No systemd, no
 * cluster of the machine's is touched. As root, both run as the `postgres` user (PostgreSQL refuses
 * to run as root).
 *
 * Durability settings are off (fsync, full-page writes): the tests kill centers, never this server,
 * and a commit then costs a write instead of a disk flush.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** postgres://user:password@127.0.0.1:port/<database>. */
  url(database: string): string;
  readonly port: number;
  stop(): Promise<void>;
}

export const TEST_PG_USER = 'kiosk_sim';

/** The newest installed server's bin dir (Debian: /usr/lib/postgresql/<major>/bin), or KIOSK_SIM_PG_BIN. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.KIOSK_SIM_PG_BIN) candidates.push(process.env.KIOSK_SIM_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const majors = fs.readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((v) => path.join(debian, v, 'bin')));
  }
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'postgres')) && fs.existsSync(path.join(d, 'initdb')));
  if (!found) {
    throw new Error(
      'PostgreSQL is not installed: the center tests need its server binaries (postgres, initdb) from Debian\'s `postgresql` package. ' +
        'Run `bash .ci/setup` (or `apt-get install postgresql`), or set KIOSK_SIM_PG_BIN to a directory holding them.',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** As root: the postgres user's uid/gid, to own the data dir and run the server. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (Debian\'s postgresql package creates it)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const account = postgresAccount();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-pg-'));
  const data = path.join(dir, 'data');
  const password = crypto.randomBytes(18).toString('base64url');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (account) {
    fs.chmodSync(dir, 0o700);
    fs.chownSync(dir, account.uid, account.gid);
    fs.chownSync(pwfile, account.uid, account.gid);
  }
  const as = (cmd: string, args: string[]): [string, string[]] => (account ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });

  const [initCmd, initArgs] = as(path.join(bin, 'initdb'), ['-D', data, '-U', TEST_PG_USER, '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C', '--no-sync']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    cleanup();
    throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr || init.error?.message}`);
  }
  fs.rmSync(pwfile);

  const port = await freePort();
  const settings = ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300', '-c', 'shared_buffers=32MB'];
  const [cmd, args] = as(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, ...settings]);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (database: string) => `postgres://${TEST_PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const stop = async () => {
    // The postmaster's pid (runuser stays in between as root): SIGINT is PostgreSQL's fast shutdown.
    const pidFile = path.join(data, 'postmaster.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : child.pid;
    if (child.exitCode === null && child.signalCode === null && pid) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    cleanup();
  };

  // Ready when a client can log in (the server says so on stderr too, but a login proves it).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanup();
      throw new Error(`PostgreSQL exited before accepting connections: ${log}`);
    }
    const c = new pg.Client({ connectionString: url('postgres') });
    try {
      await c.connect();
      await c.end();
      break;
    } catch (err) {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not accept connections within 30 s (${(err as Error).message}): ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, port, stop };
}
