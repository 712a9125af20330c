/**
 * `npm run app`: the 「JPKI暗証番号リセット」 app simulator as a command line. It books a reset the
 * way the app does, on the card in a PC/SC reader (default slot 1, "Virtual PCD 00 01", so a kiosk
 * can use slot 0 meanwhile), with the *other* password really verified on the card.
 *
 *   npm run app -- [--kind sign|auth] [--reader "Virtual PCD 00 01"] [--yes]
 *                  [--face pass|fail[,pass|fail…]] [--center <url> --app-token <token>]
 *
 * Without --center (or KIOSK_SIM_CENTER_URL + KIOSK_SIM_APP_TOKEN) it starts an embedded center on
 * the simulator's reservation database (KIOSK_SIM_CENTER_DB), so the kiosk finds the booking.
 * --face gives the trainer's face-check decisions in order (else they are asked). Answers can be
 * piped on stdin, one per line. Password input is never echoed, logged or kept.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatJst } from '../domain/hours';
import type { ResetKind } from '../domain/passwords';
import { AppCenterClient } from '../center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../center/embedded';
import { JpkiClient } from '../jpki';
import { PcscReaderService, type ReaderChannel } from '../../native/pcsc';
import { virtualReaderName } from '../../native/vpcd/transport';
import { normalizeDate } from './card-front';
import { pageOf, type BookingState } from './flow';
import { JpkiBookingCard } from './jpki-card';
import { BookingSession } from './session';
import { cardFrontProblemMessage, KIND_LABEL, passwordFormatMessage, passwordPrompt, refusalGuidance, type BilingualText } from './messages';

export const DEFAULT_APP_READER = virtualReaderName(1);

/** Prompts on stdout, answers from stdin: a TTY (secrets unechoed) or piped lines. */
class Terminal {
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private readonly rl: readline.Interface | undefined;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    if (!process.stdin.isTTY) {
      this.rl = readline.createInterface({ input: process.stdin, terminal: false });
      this.rl.on('line', (l) => this.push(l));
      this.rl.on('close', () => {
        this.ended = true;
        this.waiting?.(undefined);
      });
    }
  }

  private push(line: string): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(line);
    } else this.lines.push(line);
  }

  say(m: BilingualText | string): void {
    this.out.write(typeof m === 'string' ? `${m}\n` : `${m.ja}\n  ${m.en}\n`);
  }

  async ask(prompt: string, secret = false): Promise<string> {
    this.out.write(prompt);
    if (process.stdin.isTTY) return secret ? this.readSecretTty() : this.readLineTty();
    let line = this.lines.shift();
    if (line === undefined && !this.ended) line = await new Promise<string | undefined>((r) => (this.waiting = r));
    if (line === undefined) throw new Error('no more input');
    // Piped answers are not echoed by a terminal: show plain ones for the transcript, never a secret.
    this.out.write(secret ? '\n' : `${line.trim()}\n`);
    return line.trim();
  }

  private readLineTty(): Promise<string> {
    const rl = readline.createInterface({ input: process.stdin, output: this.out, terminal: true });
    return new Promise((resolve) => {
      rl.once('line', (l) => {
        rl.close();
        resolve(l.trim());
      });
    });
  }

  /** Raw mode, '*' per character: the value never reaches the screen. */
  private readSecretTty(): Promise<string> {
    const stdin = process.stdin;
    return new Promise((resolve, reject) => {
      let value = '';
      stdin.setRawMode(true);
      stdin.resume();
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            done();
            this.out.write('\n');
            return resolve(value);
          }
          if (ch === '\u0003') {
            done();
            return reject(new Error('interrupted'));
          }
          if (ch === '\u007f' || ch === '\b') {
            if (value.length > 0) {
              value = value.slice(0, -1);
              this.out.write('\b \b');
            }
          } else if (ch >= ' ') {
            value += ch;
            this.out.write('*');
          }
        }
      };
      const done = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      };
      stdin.on('data', onData);
    });
  }

  close(): void {
    this.rl?.close();
  }
}

interface Options {
  kind?: ResetKind;
  reader: string;
  yes: boolean;
  faces: boolean[];
  centerUrl?: string;
  appToken?: string;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      kind: { type: 'string' },
      reader: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      face: { type: 'string' },
      center: { type: 'string' },
      'app-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('npm run app -- [--kind sign|auth] [--reader NAME] [--yes] [--face pass|fail[,…]] [--center URL --app-token TOKEN]');
    process.exit(0);
  }
  if (values.kind !== undefined && values.kind !== 'sign' && values.kind !== 'auth') throw new Error('--kind takes sign or auth');
  const faces = (values.face ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => {
      if (f !== 'pass' && f !== 'fail') throw new Error('--face takes pass or fail, comma-separated');
      return f === 'pass';
    });
  const centerUrl = values.center ?? env.KIOSK_SIM_CENTER_URL;
  const appToken = values['app-token'] ?? env.KIOSK_SIM_APP_TOKEN;
  if (centerUrl !== undefined && !appToken) throw new Error('--center needs --app-token (or KIOSK_SIM_APP_TOKEN)');
  return {
    ...(values.kind !== undefined && { kind: values.kind }),
    reader: values.reader ?? DEFAULT_APP_READER,
    yes: values.yes ?? false,
    faces,
    ...(centerUrl !== undefined && { centerUrl }),
    ...(appToken !== undefined && { appToken }),
  };
}

const CONSENT: BilingualText = {
  ja: '【同意事項】予約完了から24時間以内に、対応するコンビニのマルチコピー機でパスワードを初期化・再設定できます。予約にはカード券面の読み取り、もう一方のパスワードの入力(間違えると残り回数が減ります)、署名用の場合は顔認証が必要です。',
  en: 'Consent: within 24 hours of completing this reservation you can reset the password at a participating store kiosk. Booking reads the card front, asks for the other password (a wrong one costs a try), and for the signature password a face check.',
};

/** Runs the session to its end, saying what the app page (pageOf) shows at each step. */
async function drive(flow: BookingSession, term: Terminal, opts: Options): Promise<BookingState> {
  term.say(CONSENT);
  const agree = opts.yes || /^(y|yes|はい)$/i.test(await term.ask('同意しますか / Agree? [y/N] '));
  flow.consent(agree);
  if (!agree) return flow.state;

  let kind = opts.kind;
  while (kind === undefined) {
    const a = await term.ask(`初期化するパスワード / Password to reset: 1) ${KIND_LABEL.sign.ja}  2) ${KIND_LABEL.auth.ja} [1/2] `);
    kind = a === '1' || a === 'sign' ? 'sign' : a === '2' || a === 'auth' ? 'auth' : undefined;
  }
  flow.chooseKind(kind);

  for (;;) {
    const page = pageOf(flow.state);
    switch (page.step) {
      case 'card-front': {
        if (page.problem && 'field' in page.problem) term.say(cardFrontProblemMessage(page.problem.field));
        if (page.problem && 'mismatch' in page.problem) {
          term.say({ ja: `券面の情報がカードと一致しません(残り ${page.problem.triesLeft} 回)。`, en: `The card-front data does not match the card (${page.problem.triesLeft} tries left).` });
        }
        term.say({ ja: 'カード券面の情報を入力してください(撮影の代わり)。', en: 'Enter the card-front data (instead of the photo).' });
        const birthDate = normalizeDate(await term.ask('  生年月日 / Birth date (YYYY-MM-DD): '));
        const cardExpiry = normalizeDate(await term.ask('  有効期限 / Card expiry (YYYY-MM-DD): '));
        const securityCode = await term.ask('  セキュリティコード / Security code (4 digits): ');
        term.say({ ja: `カードを読み取っています(${opts.reader})…`, en: `Reading the card (${opts.reader})…` });
        await flow.submitCardFront({ birthDate, cardExpiry, securityCode });
        break;
      }
      case 'other-password': {
        if (page.problem === 'wrong-password') term.say({ ja: 'パスワードが違います。', en: 'Wrong password.' });
        else if (page.problem !== null) term.say(passwordFormatMessage(page.problem));
        term.say(passwordPrompt(page.password, page.triesLeft));
        await flow.submitOtherPassword(await term.ask('  > ', true));
        break;
      }
      case 'face-check': {
        if (page.lastFailed) term.say({ ja: `顔認証に失敗しました(あと ${page.failuresBeforeLock} 回失敗するとロック)。`, en: `Face check failed (${page.failuresBeforeLock} more failures lock the app for this card).` });
        const preset = opts.faces.shift();
        let passed = preset;
        while (passed === undefined) {
          const a = await term.ask('[トレーナー / trainer] 顔認証の結果 / face check result: p=一致 pass, f=不一致 fail ');
          passed = /^p/i.test(a) ? true : /^f/i.test(a) ? false : undefined;
        }
        if (preset !== undefined) term.say(`[trainer] face check: ${passed ? 'pass' : 'fail'}`);
        await flow.submitFaceCheck(passed);
        break;
      }
      default:
        return flow.state;
    }
  }
}

function report(term: Terminal, s: BookingState): number {
  const page = pageOf(s);
  if (page.step === 'booked') {
    term.say({
      ja: `予約が完了しました(${KIND_LABEL[page.kind].ja})。${formatJst(page.expiresAt)} まで、対応するコンビニのマルチコピー機で初期化・再設定できます。`,
      en: `Reservation completed (${KIND_LABEL[page.kind].en}). Reset it at a participating store kiosk until ${formatJst(page.expiresAt)} (Japan time).`,
    });
    // The card id is the receipt's, for the trainer: the page does not show it.
    const cardId = s.step === 'booked' ? s.cardId : '';
    term.say(`booking ${page.bookingId}, card ${cardId}${page.replaced ? `, replaces ${page.replaced}` : ''}`);
    return 0;
  }
  if (page.step === 'refused') {
    const g = refusalGuidance(page);
    term.say(g.why);
    term.say(g.next);
    if (page.detail) term.say(`(${page.detail})`);
    return 2;
  }
  term.say({ ja: '予約を中止しました。', en: 'Reservation cancelled.' });
  return 1;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  const term = new Terminal();
  let embedded: EmbeddedCenter | undefined;
  const service = new PcscReaderService({ reader: { name: opts.reader } });
  let channel: ReaderChannel | undefined;
  try {
    let centerUrl = opts.centerUrl;
    let appToken = opts.appToken;
    if (centerUrl === undefined || appToken === undefined) {
      embedded = await startEmbeddedCenter({});
      centerUrl = embedded.url;
      appToken = embedded.appToken;
    }
    const center = new AppCenterClient({ baseUrl: centerUrl, token: appToken });
    // The card is read only once the card-front data is in (as the app reads the chip after the photo).
    const lazyCard = new JpkiBookingCard(
      new JpkiClient({
        transmit: async (apdu) => {
          if (!channel) {
            await service.waitForState((st) => st.status === 'card-present', { timeoutMs: 30_000 }).catch(() => {
              throw new Error(`no card in ${opts.reader} (npm run card -- insert <card> --slot 1)`);
            });
            channel = await service.connect();
          }
          return channel.transmit(apdu);
        },
      }),
    );
    const flow = new BookingSession(lazyCard, center);
    return report(term, await drive(flow, term, opts));
  } finally {
    term.close();
    await channel?.disconnect('reset').catch(() => undefined);
    await service.close();
    await embedded?.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
