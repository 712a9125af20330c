/**
 * Reservation center under 100 concurrent simulated kiosks on loopback: check throughput, and
 * authorize+confirm throughput (one kiosk reset = both calls), with p50/p99 latency, against a bare
 * Fastify "hello" route as the ceiling. Goal (issue 5): ≥ 50 % of the ceiling and p99 ≤ 20 ms.
 * For reading the gap (not a target), the same authorize+confirm traffic also runs against bare
 * POST routes of the hello server: what the request shape alone costs.
 *
 * The center and the hello server each run in their own process (what `npm run center` runs, with
 * request logging at warn so the figure is the API's cost, not the log's); the kiosks are a bounded
 * loop of keep-alive raw HTTP/1.1 connections in this process (one per kiosk).
 *
 * Rounds: both servers run for the whole bench, and the phases alternate in ROUNDS short rounds
 * (hello, bare POST, check, authorize+confirm, then again), each after a short unmeasured ramp. This
 * machine's speed drifts with its neighbours' load by a quarter within a minute; measured one after
 * the other, the ceiling and the center saw different machines and the ratio swung from 0.26 to
 * 0.59 between runs of the same code. Interleaved, every round compares like with like; the figures
 * are totals over all rounds, and each ratio also comes with its range over the rounds. The server's
 * CPU time per request (cpuShareOfCeiling: the ceiling's CPU per request ÷ ours) is the other
 * steady measure of the same thing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideAdminBooking } from '../electron/center/rules';
import { openSqliteStorage } from '../electron/center/sqlite-storage';
import { DEV_MASTER_KEY, diversifyResetKey } from '../native/jpki/reset-mac';
import { encodeResetReceipt } from '../native/jpki/reset-receipt';
import type { BenchResult } from './run';

export const name = 'center';

const KIOSKS = 100;
/** Unmeasured start of the bench, per phase: connections open and V8 optimizes the hot paths. */
const WARMUP_MS = 2000;
const ROUNDS = 10;
/** Unmeasured start of each round's phase: the kiosks' loops get going again. */
const RAMP_MS = 200;
const ROUND_PHASE_MS = 1000;
/** Enough bookings that the kiosks never run out during the authorize+confirm phases (150 000 ran out at ≈ 11 000 resets/s). */
const BOOKINGS = 250_000;
const CHECK_CARDS = 1000;
const KIOSK_TOKEN = 'bench-kiosk-token-000000';
/**
 * On two cores the kiosks (this process) and the server under test are each pinned to a core of
 * their own, the same for the hello ceiling as for the center: otherwise the scheduler moves them
 * onto one core now and then and the ratio swings with it. Without taskset the run is unpinned
 * and says so in its figures.
 */
const SERVER_CPU = 1;
/** Pins this process (the kiosks) to cpu 0, or back to every cpu; true when taskset did it. */
const pinSelf = (cpus: string) => spawnSync('taskset', ['-apc', cpus, String(process.pid)], { stdio: 'ignore' }).status === 0;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function startChild(script: string, args: string[], env: Record<string, string>, pinned: boolean): Promise<{ child: ChildProcess; url: string }> {
  // CENTER_BENCH_PROFILE=<dir>: each server writes a V8 CPU profile there (for finding the cost).
  const profile = process.env.CENTER_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.CENTER_BENCH_PROFILE)] : [];
  const node = [process.execPath, ...profile, '--import', 'tsx', path.join(root, script), ...args];
  // Pinned to its own core (taskset execs, so the pid is the server's): see SERVER_CPU.
  const argv = pinned ? ['taskset', '-c', String(SERVER_CPU), ...node] : node;
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s)]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
  return { child, url };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

interface Reply {
  status: number;
  body: string;
}

/**
 * One simulated kiosk: one keep-alive TCP connection, one request at a time, HTTP/1.1 written and
 * parsed by hand. node:http's client costs more CPU per request than a Fastify route, which on
 * two cores made the load generator the bottleneck and the "ceiling" a measure of itself.
 */
class RawKiosk {
  private socket: net.Socket | undefined;
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly port: number,
    private readonly headers: string,
  ) {}

  private connect(): net.Socket {
    const s = net.connect(this.port, '127.0.0.1');
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => this.onData(d));
    const fail = (e: Error) => {
      this.socket = undefined;
      this.pending?.reject(e);
      this.pending = undefined;
    };
    s.on('error', fail);
    s.on('close', () => fail(new Error('connection closed')));
    this.socket = s;
    return s;
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    const headEnd = this.buf.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buf.subarray(0, headEnd).toString('latin1');
    const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buf.length < headEnd + 4 + len) return;
    const body = this.buf.subarray(headEnd + 4, headEnd + 4 + len).toString('utf8');
    this.buf = this.buf.subarray(headEnd + 4 + len);
    const p = this.pending;
    this.pending = undefined;
    p?.resolve({ status: Number(head.slice(9, 12)), body });
  }

  request(method: string, path: string, body?: string): Promise<Reply> {
    const s = this.socket ?? this.connect();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const len = body === undefined ? '' : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
      s.write(`${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${this.headers}${len}\r\n${body ?? ''}`);
    });
  }

  close(): void {
    this.socket?.destroy();
  }
}

const portOf = (url: string) => Number(new URL(url).port);

interface PhaseFigures {
  requestsPerSecond: number;
  /** CPU time (user + system) the server process spent per request: robust to other load on the machine. */
  serverCpuUsPerRequest: number;
  /** CPU time the load generator (this process: the simulated kiosks) spent per request. */
  loadCpuUsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** utime + stime of a process, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One measured stretch of one phase. */
interface PhaseRun {
  latencies: number[];
  errors: number;
  units: number;
  seconds: number;
  serverCpuMs: number;
  loadCpuUs: number;
}

/**
 * Runs `step` in KIOSKS concurrent loops, for `warmupMs` unmeasured then `measureMs` measured.
 * `step` returns the latencies of the requests it made (one for check, two for authorize+confirm).
 */
async function phase(serverPid: number, step: (kiosk: number) => Promise<number[] | null>, warmupMs: number, measureMs: number): Promise<PhaseRun> {
  const latencies: number[] = [];
  let errors = 0;
  let units = 0;
  let measuring = false;
  let done = false;
  const start = performance.now();
  let measuredFrom = 0;
  let cpuFrom = 0;
  let cpuTo = 0;
  let loadFrom = process.cpuUsage();
  let loadUsed = { user: 0, system: 0 };
  setTimeout(() => {
    measuring = true;
    measuredFrom = performance.now();
    cpuFrom = cpuMs(serverPid);
    loadFrom = process.cpuUsage();
  }, warmupMs);
  setTimeout(() => {
    done = true;
    cpuTo = cpuMs(serverPid);
    loadUsed = process.cpuUsage(loadFrom);
  }, warmupMs + measureMs);
  await Promise.all(
    Array.from({ length: KIOSKS }, async (_, k) => {
      while (!done) {
        const l = await step(k).catch(() => null);
        // A step that fails without I/O (no bookings left) resolves at once; without this yield
        // the loop would spin on microtasks and the phase timers would never fire.
        if (l === null) await new Promise((resolve) => setImmediate(resolve));
        if (!measuring) continue;
        if (l === null) errors++;
        else {
          units++;
          latencies.push(...l);
        }
      }
    }),
  );
  const seconds = (performance.now() - Math.max(measuredFrom, start)) / 1000;
  return { latencies, errors, units, seconds, serverCpuMs: cpuTo - cpuFrom, loadCpuUs: loadUsed.user + loadUsed.system };
}

/** One phase's rounds summed up. */
function figuresOf(runs: readonly PhaseRun[]): PhaseFigures & { units: number } {
  const latencies = runs.flatMap((r) => r.latencies);
  const requests = latencies.length;
  const seconds = runs.reduce((t, r) => t + r.seconds, 0);
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: round(requests / seconds, 0),
    serverCpuUsPerRequest: round((runs.reduce((t, r) => t + r.serverCpuMs, 0) * 1000) / Math.max(1, requests), 1),
    loadCpuUsPerRequest: round(runs.reduce((t, r) => t + r.loadCpuUs, 0) / Math.max(1, requests), 1),
    p50Ms: round(pct(sorted, 0.5)),
    p99Ms: round(pct(sorted, 0.99)),
    requests,
    errors: runs.reduce((t, r) => t + r.errors, 0),
    units: round(runs.reduce((t, r) => t + r.units, 0) / seconds, 0),
  };
}

/** The lowest and highest round-by-round share of the ceiling (same round, one after the other). */
function shareRange(runs: readonly PhaseRun[], ceiling: readonly PhaseRun[]): [number, number] {
  const shares = runs.map((r, i) => {
    const c = ceiling[i] as PhaseRun;
    return r.latencies.length / r.seconds / (c.latencies.length / c.seconds);
  });
  return [round(Math.min(...shares)), round(Math.max(...shares))];
}

export async function run(): Promise<BenchResult> {
  const pinned = os.cpus().length >= 2 && pinSelf('0');
  try {
    return await measure(pinned);
  } finally {
    if (pinned) pinSelf(`0-${os.cpus().length - 1}`);
  }
}

async function measure(pinned: boolean): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'center-bench-'));
  const dbPath = path.join(dir, 'center.sqlite');

  // Bookings written straight into the file before the center starts (admin bookings, as a
  // trainer would create them), so the measured phases only see kiosk traffic.
  const storage = openSqliteStorage(dbPath);
  const now = Date.now();
  const cardOf = (i: number) => (0xa000000 + i).toString(16).toUpperCase();
  await Promise.all(
    Array.from({ length: BOOKINGS + CHECK_CARDS }, (_, i) =>
      storage.updateCard(cardOf(i), (card) => decideAdminBooking(card, i < CHECK_CARDS ? 'auth' : 'sign', { now, completedAt: now, newId: `bk_${i.toString(16).padStart(32, '0')}` })),
    ),
  );
  await storage.close();

  /**
   * One kiosk reset: authorize, then confirm the booking it names. `card` hands out the next
   * booked card (null when there are none left).
   */
  const CHALLENGE = '0011223344556677';
  const resetStep =
    (ks: readonly RawKiosk[], card: () => string | null) =>
    async (k: number): Promise<number[] | null> => {
      const cardId = card();
      if (cardId === null) return null;
      const kiosk = ks[k] as RawKiosk;
      const requestId = `bench-${k}-${cardId}`;
      // The card's receipt, as a never-reset card holding this challenge gives it (made before the clock starts).
      const receipt = encodeResetReceipt(diversifyResetKey(DEV_MASTER_KEY, cardId), 'sign', { resetCount: 0, lastChallenge: null, currentChallenge: CHALLENGE, challengeSeq: 1 }).toString('hex');
      const t0 = performance.now();
      const a = await kiosk.request('POST', '/v1/kiosk/authorize', JSON.stringify({ cardId, kind: 'sign', challenge: CHALLENGE, receipt, requestId }));
      const t1 = performance.now();
      if (a.status !== 200) return null;
      const { bookingId } = JSON.parse(a.body) as { bookingId: string };
      const cf = await kiosk.request('POST', '/v1/kiosk/confirm', JSON.stringify({ bookingId, requestId }));
      const t2 = performance.now();
      if (cf.status !== 200) return null;
      return [t1 - t0, t2 - t1];
    };

  const hello = await startChild('bench/center-hello-server.ts', [], {}, pinned);
  const center = await startChild('electron/center/main.ts', ['--port', '0', '--db', dbPath], {
    KIOSK_SIM_KIOSK_KEYS: `bench=${KIOSK_TOKEN}`,
    KIOSK_SIM_APP_TOKEN: 'bench-app-token-0000000',
    KIOSK_SIM_ADMIN_TOKEN: 'bench-admin-token-00000',
    KIOSK_SIM_CENTER_LOG: 'warn',
  }, pinned);
  const helloKiosks = Array.from({ length: KIOSKS }, () => new RawKiosk(portOf(hello.url), ''));
  const kiosks = Array.from({ length: KIOSKS }, () => new RawKiosk(portOf(center.url), `authorization: Bearer ${KIOSK_TOKEN}\r\n`));
  const kiosk = (k: number) => kiosks[k] as RawKiosk;

  let bare = 0;
  let c = 0;
  let next = CHECK_CARDS;
  let exhausted = false;
  const phases = {
    ceiling: { pid: hello.child.pid ?? 0, step: async (k: number) => {
      const t = performance.now();
      const r = await (helloKiosks[k] as RawKiosk).request('GET', '/hello');
      return r.status === 200 ? [performance.now() - t] : null;
    } },
    barePost: { pid: hello.child.pid ?? 0, step: resetStep(helloKiosks, () => cardOf(bare++ % BOOKINGS)) },
    check: { pid: center.child.pid ?? 0, step: async (k: number) => {
      const body = JSON.stringify({ cardId: cardOf(c++ % CHECK_CARDS), kind: 'auth' });
      const t = performance.now();
      const r = await kiosk(k).request('POST', '/v1/kiosk/check', body);
      return r.status === 200 && r.body.includes('"usable"') ? [performance.now() - t] : null;
    } },
    resets: { pid: center.child.pid ?? 0, step: resetStep(kiosks, () => {
      const i = next++;
      if (i < CHECK_CARDS + BOOKINGS) return cardOf(i);
      exhausted = true;
      return null;
    }) },
  };
  type PhaseName = keyof typeof phases;
  const names = Object.keys(phases) as PhaseName[];
  const runs: Record<PhaseName, PhaseRun[]> = { ceiling: [], barePost: [], check: [], resets: [] };
  try {
    for (const n of names) await phase(phases[n].pid, phases[n].step, WARMUP_MS, 0);
    for (let r = 0; r < ROUNDS; r++) for (const n of names) runs[n].push(await phase(phases[n].pid, phases[n].step, RAMP_MS, ROUND_PHASE_MS));
  } finally {
    for (const k of [...helloKiosks, ...kiosks]) k.close();
    await Promise.all([stop(hello.child), stop(center.child)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (exhausted) throw new Error('the bench ran out of bookings: raise BOOKINGS');

  const ceiling = figuresOf(runs.ceiling);
  const barePost = figuresOf(runs.barePost);
  const check = figuresOf(runs.check);
  const resets = figuresOf(runs.resets);
  // A reset step's latencies come in pairs: authorize, then confirm.
  const resetLat = runs.resets.flatMap((r) => r.latencies);
  const sortedAuth = Float64Array.from(resetLat.filter((_, i) => i % 2 === 0)).sort();
  const sortedConf = Float64Array.from(resetLat.filter((_, i) => i % 2 === 1)).sort();
  const checkShare = check.requestsPerSecond / ceiling.requestsPerSecond;
  const resetShare = resets.requestsPerSecond / ceiling.requestsPerSecond;
  const { units: _h, ...ceilingFigures } = ceiling;
  const { units: _b, ...barePostFigures } = barePost;
  const { units: _c, ...checkFigures } = check;
  return {
    figures: {
      kiosks: KIOSKS,
      pinned: pinned ? { kiosks: 'cpu 0', server: `cpu ${SERVER_CPU}` } : false,
      rounds: ROUNDS,
      roundPhaseSeconds: ROUND_PHASE_MS / 1000,
      ceilingHello: ceilingFigures,
      // Not a target: the same authorize+confirm requests answered by bare POST routes (no
      // validation, auth, storage). Shows how much of the gap to /hello the request shape costs.
      barePostAuthorizeConfirm: {
        ...barePostFigures,
        shareOfCeiling: round(barePost.requestsPerSecond / ceiling.requestsPerSecond),
        shareOfCeilingByRound: shareRange(runs.barePost, runs.ceiling),
      },
      check: {
        ...checkFigures,
        shareOfCeiling: round(checkShare),
        shareOfCeilingByRound: shareRange(runs.check, runs.ceiling),
        cpuShareOfCeiling: round(ceiling.serverCpuUsPerRequest / check.serverCpuUsPerRequest),
      },
      authorizeConfirm: {
        resetsPerSecond: resets.units,
        requestsPerSecond: resets.requestsPerSecond,
        serverCpuUsPerRequest: resets.serverCpuUsPerRequest,
        loadCpuUsPerRequest: resets.loadCpuUsPerRequest,
        shareOfCeiling: round(resetShare),
        shareOfCeilingByRound: shareRange(runs.resets, runs.ceiling),
        cpuShareOfCeiling: round(ceiling.serverCpuUsPerRequest / resets.serverCpuUsPerRequest),
        p50Ms: resets.p50Ms,
        p99Ms: resets.p99Ms,
        authorize: { p50Ms: round(pct(sortedAuth, 0.5)), p99Ms: round(pct(sortedAuth, 0.99)) },
        confirm: { p50Ms: round(pct(sortedConf, 0.5)), p99Ms: round(pct(sortedConf, 0.99)) },
        errors: resets.errors,
      },
    },
    targets: [
      // "≥ 50 % of the ceiling" as a ≤ target: the ceiling is at most twice our throughput.
      { what: 'hello ceiling ÷ check throughput (≤ 2 is ≥ 50 %)', value: round(1 / checkShare), max: 2 },
      { what: 'hello ceiling ÷ authorize+confirm request throughput (≤ 2 is ≥ 50 %)', value: round(1 / resetShare), max: 2 },
      { what: 'check p99 (ms)', value: check.p99Ms, max: 20 },
      { what: 'authorize+confirm p99 per request (ms)', value: resets.p99Ms, max: 20 },
    ],
  };
}
