/**
 * At-rest protection of a card file's secrets (PINs, private keys, the reset key).
 *
 * Decision (documented for trainers and reviewers):
 * - Each card directory has one random 256-bit *simulator key* in `simulator.key` (mode 0600),
 *   created on first use. Card files never hold a PIN or a private key in plain text.
 * - The card checks a PIN against a *verifier*: HMAC-SHA256 under a subkey of the simulator key,
 *   over a per-PIN random salt and the value. A slow unkeyed hash (scrypt, PBKDF2) would not help:
 *   a 4-digit PIN has 10 000 candidates, which any KDF cost falls to in minutes. Keying the hash
 *   makes the card file alone useless; the key file is the trust boundary. The per-PIN salt hides
 *   that two PINs share a value (the three 4-digit PINs often do).
 * - A trainer still needs to *see* a test card's PINs, so each PIN is also sealed with AES-256-GCM
 *   under another subkey, bound (AAD) to the card id and the PIN's name so a sealed value cannot be
 *   moved to another PIN or card. Only `npm run card -- status <card> --show-pins` unseals them.
 * Copying a card directory with its `simulator.key` moves the cards; a card file without its key
 * cannot be used.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SIMULATOR_KEY_FILE = 'simulator.key';

const VERIFIER_INFO = 'kiosk-sim/pin-verifier/v1';
const SEAL_INFO = 'kiosk-sim/seal/v1';

export class SimulatorKeyError extends Error {
  constructor(
    readonly code: 'SIMULATOR_KEY_INVALID' | 'SIMULATOR_KEY_MISSING' | 'SEALED_DATA_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorKeyError';
  }
}

function subkey(key: Buffer, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}

export class SimulatorKey {
  private readonly verifierKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new SimulatorKeyError('SIMULATOR_KEY_INVALID', 'the simulator key must be 32 bytes');
    const k = Buffer.from(key);
    this.verifierKey = subkey(k, VERIFIER_INFO);
    this.sealKey = subkey(k, SEAL_INFO);
  }

  /** HMAC over salt ‖ value: what the card compares a presented PIN against. */
  verifier(salt: Uint8Array, value: Uint8Array): Buffer {
    return crypto.createHmac('sha256', this.verifierKey).update(salt).update(value).digest();
  }

  /** AES-256-GCM; the result is base64 of iv ‖ tag ‖ ciphertext. */
  seal(plaintext: Uint8Array, aad: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.sealKey, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  unseal(sealed: string, aad: string): Buffer {
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length < 28) throw new SimulatorKeyError('SEALED_DATA_INVALID', `sealed ${aad} is too short`);
    const d = crypto.createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
    } catch {
      // Never echo the data: only which item failed.
      throw new SimulatorKeyError(
        'SEALED_DATA_INVALID',
        `cannot unseal ${aad}: the card file was made with another simulator key, or was altered`,
      );
    }
  }
}

/** Loads `<dir>/simulator.key`; a card directory without one cannot run its cards. */
export function loadSimulatorKey(dir: string): SimulatorKey {
  const file = path.join(dir, SIMULATOR_KEY_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new SimulatorKeyError('SIMULATOR_KEY_MISSING', `${file} is missing: the cards in ${dir} cannot be unsealed without the key they were made with`);
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new SimulatorKeyError('SIMULATOR_KEY_INVALID', `${file} is not 64 hex digits`);
  return new SimulatorKey(Buffer.from(text, 'hex'));
}

/**
 * Loads `<dir>/simulator.key`, creating it on first use. Creation is race-free between processes:
 * the key is written to a private temporary file and hard-linked into place, so a second creator
 * finds the first one's complete key instead of a half-written file.
 */
export function loadOrCreateSimulatorKey(dir: string): SimulatorKey {
  const file = path.join(dir, SIMULATOR_KEY_FILE);
  const read = () => loadSimulatorKey(dir);
  if (fs.existsSync(file)) return read();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  const fd = fs.openSync(tmp, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return read();
}
