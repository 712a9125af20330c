/** The simulator-only application (see simulator-marker.ts for why it exists). */
import crypto from 'node:crypto';
import type { CardFile } from './card-state';
import { ALWAYS, application, type Application } from './file-system';
import { SIMULATOR_AID, SIMULATOR_INFO_EF, SIMULATOR_INFO_FORMAT, type SimulatorInfo } from '../jpki/simulator-marker';

export function simulatorInfo(state: CardFile): SimulatorInfo {
  const auth = state.certificates.auth.status;
  const sign = state.certificates.sign.cert;
  return {
    format: SIMULATOR_INFO_FORMAT,
    notice: state.notice,
    cardId: state.cardId,
    persona: state.persona,
    cardExpiry: state.holder.cardExpiry,
    certificates: { auth: auth === 'lapsed' ? 'lapsed' : 'active', sign: state.certificates.sign.status },
    ...(sign === undefined ? {} : { signNotAfter: new Date(new crypto.X509Certificate(Buffer.from(sign, 'base64')).validTo).toISOString() }),
  };
}

export function buildSimulatorAp(state: CardFile): Application {
  return application('simulator', SIMULATOR_AID, [
    { kind: 'binary', fid: SIMULATOR_INFO_EF, read: ALWAYS, data: Buffer.from(JSON.stringify(simulatorInfo(state)), 'utf8') },
  ]);
}
