/**
 * Child process for the kill-at-every-write test (card-persistence.test.ts): runs a fixed script of
 * state-changing commands against a card file and SIGKILLs itself just before file-system call
 * number KILL_AT. Every status word is written to stdout synchronously, so the parent knows exactly
 * what the host had been told when the process died.
 *
 * usage: tsx card-crash-child.ts <card file> <kill at (0 = never)>
 */
import fs from 'node:fs';
import { nodeFs, type AtomicWriteFs } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { diversifyResetKey, masterKeyFromEnv, resetMac } from '../../native/jpki/reset-mac';

const [file, killAtArg] = process.argv.slice(2);
const killAt = Number(killAtArg);
let calls = 0;

function step(): void {
  calls++;
  if (calls === killAt) process.kill(process.pid, 'SIGKILL');
}

const dyingFs: AtomicWriteFs = {
  openSync: (p, f, m) => (step(), nodeFs.openSync(p, f, m)),
  writeSync: (fd, b, o, l) => (step(), nodeFs.writeSync(fd, b, o, l)),
  fsyncSync: (fd) => (step(), nodeFs.fsyncSync(fd)),
  closeSync: (fd) => (step(), nodeFs.closeSync(fd)),
  renameSync: (a, b) => (step(), nodeFs.renameSync(a, b)),
};

const card = loadCard(file!, { fs: dyingFs });
const say = (line: string) => fs.writeSync(1, line + '\n');
const send = (label: string, apdu: string): Buffer => {
  const r = card.transmit(Buffer.from(apdu, 'hex'));
  say(`${label} ${r.subarray(-2).toString('hex')}`);
  return r;
};
const asciiHex = (s: string) => Buffer.from(s, 'ascii').toString('hex');

send('select', '00A4040C0AD392F000260100000001');
send('select', '00A4020C020018');
send('commit1', '0020008004' + asciiHex('0000'));
send('commit2', '0020008004' + asciiHex('0001'));
send('commit3', '0020008004' + asciiHex('1234'));
send('select', '00A4020C02001B');
send('verify', '0020008006' + asciiHex('ABC123'));
send('commit4', '0024018008' + asciiHex('NEWPASS1'));
// GET CHALLENGE commits the card's count of challenges before it answers.
const challenge = send('commit5', '0084000008').subarray(0, 8);
const mac = resetMac(diversifyResetKey(masterKeyFromEnv(), card.state.cardId), 'auth', challenge);
send('extauth', '0082009810' + mac.toString('hex'));
send('commit6', '002C029804' + asciiHex('9876'));
say(`calls ${calls}`);
