/**
 * 住基AP (uncertain, docs/card.md §6): its 4-digit PIN (EF 001C, 3 tries) and the 製造番号 record
 * that myna reads with READ RECORD `00 B2 01 0C 00` (record 1 of SFI 1, a TLV whose value's
 * characters 2–14 are the number). Nothing else of this AP is public, so nothing else is here.
 */
import { AID, JUKI_PIN_EF } from '../jpki/constants';
import type { Holder } from './card-state';
import { ALWAYS, application, type Application } from './file-system';
import { tlv } from '../apdu/tlv';

export const JUKI_RECORD_EF = 0x0001;

export function manufactureRecord(holder: Holder): Buffer {
  return tlv(0x04, Buffer.from('KS' + holder.manufactureNo, 'ascii'));
}

export function buildJukiAp(holder: Holder): Application {
  return application('juki', AID.JUKI, [
    { kind: 'records', fid: JUKI_RECORD_EF, read: ALWAYS, records: [manufactureRecord(holder)] },
    { kind: 'pin', fid: JUKI_PIN_EF, pin: 'juki' },
  ]);
}
