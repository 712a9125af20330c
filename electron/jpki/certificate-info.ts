/**
 * What the kiosk needs from a JPKI certificate: the serial number (the card id the center knows),
 * the validity period, the issuer, and whether the issuer is the simulator's test CA.
 */
import crypto from 'node:crypto';
import { normalizeCardId } from '../../native/jpki/reset-mac';
import { TEST_CA_NAME_PREFIX } from '../../native/jpki/simulator-marker';
import { JpkiError } from './jpki-error';

export interface CertificateInfo {
  readonly der: Buffer;
  /** Serial number, upper-case hex without leading zeros. */
  readonly serialHex: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Issued by a "kiosk-sim TEST CA" (a real card's certificates never are). */
  readonly issuedByTestCa: boolean;
  readonly publicKey: crypto.KeyObject;
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(Buffer.from(der));
  } catch {
    throw new JpkiError('BAD_CERTIFICATE', 'the certificate on the card is not valid X.509 DER');
  }
  const cn = /^CN=(.*)$/m.exec(cert.issuer)?.[1] ?? '';
  return {
    der: Buffer.from(der),
    serialHex: normalizeCardId(cert.serialNumber.replace(/^(00)+(?=..)/, '')),
    issuer: cert.issuer,
    subject: cert.subject,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    issuedByTestCa: cn.startsWith(TEST_CA_NAME_PREFIX),
    publicKey: cert.publicKey,
  };
}

/** Whether `cert` is within its validity period at `now` (the kiosk's simulated clock). */
export function isCertificateCurrent(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, now: number): boolean {
  return now >= cert.notBefore.getTime() && now <= cert.notAfter.getTime();
}
