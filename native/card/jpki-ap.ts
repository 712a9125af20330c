/**
 * 公的個人認証AP (JPKI), docs/card.md §3: token, four certificates, two private keys, two PINs.
 *
 * Under 15 (no signature certificate): EF 0001 and the signature key 001A do not exist (SELECT
 * answers 6A 82). The signature password EF 001B does exist but holds no usable PIN: its tries-left
 * query answers 63 C0 and a VERIFY 69 84. What a real under-15 card answers is not public; this
 * choice keeps OpenSC's pkcs15 binding (which queries both PINs) working for the auth certificate.
 */
import { AID, JPKI_EF, TOKEN_MY_NUMBER_CARD } from '../jpki/constants';
import type { CardFile } from './card-state';
import { ALWAYS, afterPin, application, type Application, type ElementaryFile } from './file-system';

/** EF 0006: the token, ASCII, space-padded to 32 bytes (docs/card.md §1). */
export function jpkiToken(): Buffer {
  return Buffer.from(TOKEN_MY_NUMBER_CARD.padEnd(32, ' '), 'ascii');
}

export function buildJpkiAp(state: CardFile): Application {
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const { auth, sign } = state.certificates;
  const files: ElementaryFile[] = [
    { kind: 'binary', fid: JPKI_EF.TOKEN, read: ALWAYS, data: jpkiToken() },
    { kind: 'binary', fid: JPKI_EF.AUTH_CERT, read: ALWAYS, data: b64(auth.cert ?? '') },
    { kind: 'binary', fid: JPKI_EF.AUTH_CA_CERT, read: ALWAYS, data: b64(auth.ca) },
    { kind: 'binary', fid: JPKI_EF.SIGN_CA_CERT, read: ALWAYS, data: b64(sign.ca) },
    { kind: 'key', fid: JPKI_EF.AUTH_KEY, key: 'auth', pin: 'auth' },
    { kind: 'pin', fid: JPKI_EF.AUTH_PIN, pin: 'auth' },
    { kind: 'pin', fid: JPKI_EF.SIGN_PIN, pin: 'sign' },
  ];
  if (sign.status !== 'not-issued' && sign.cert !== undefined) {
    // The signature certificate carries the holder's identity: readable only after the password.
    files.push({ kind: 'binary', fid: JPKI_EF.SIGN_CERT, read: afterPin('sign'), data: b64(sign.cert) });
    files.push({ kind: 'key', fid: JPKI_EF.SIGN_KEY, key: 'sign', pin: 'sign' });
  }
  return application('jpki', AID.JPKI, files);
}
