/** The kiosk-side JPKI client (see jpki-client.ts). */
export { directChannel, type CardChannel } from './card-channel';
export { isCertificateCurrent, parseCertificate, type CertificateInfo } from './certificate-info';
export { certificateState, JpkiClient, type CardAp, type CardIdentity, type CardProfile, type CertificateEf, type CertificateFacts } from './jpki-client';
export { JpkiError, type JpkiErrorCode } from './jpki-error';
export { parseBasicInfo, parseMyNumber, type BasicInfo } from './text-ap-data';
export type { SimulatorInfo } from '../../native/jpki/simulator-marker';
/** Display only: a receipt is trusted when the center's verifyResetReceipt (native/jpki/reset-receipt.ts) accepts it. */
export { RECEIPT_LENGTH, parseResetReceipt, type ResetReceipt } from '../../native/jpki/reset-receipt';
