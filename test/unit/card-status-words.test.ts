/**
 * The virtual card's answers, one row per situation, grouped by the status word a host sees.
 * Each row starts from a freshly powered card of the given persona.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PERSONAS, type PersonaId } from '../../native/card/personas';
import { ascii, CardFactory, pinOf, SELECT, swHex, tx, verifyHex } from './card-fixtures';

const cards = new CardFactory();
afterAll(() => cards.cleanup());

interface Expect {
  readonly sw: string;
  /** Hex the data must start with. */
  readonly dataPrefix?: string;
  readonly dataLength?: number;
}

type Row = readonly [name: string, persona: PersonaId, setup: readonly string[], apdu: string, expected: string | Expect];

const AUTH = pinOf('adult', 'auth');
const SIGN = pinOf('adult', 'sign');
const TEXT = pinOf('adult', 'text');
const J = SELECT.jpki;
const EF = SELECT.ef;
const DIGEST_INFO = '3031300D060960864801650304020105000420' + '11'.repeat(32);

const table: Record<string, readonly Row[]> = {
  '90 00 success': [
    ['SELECT JPKI AP by AID', 'adult', [], J, '9000'],
    ['SELECT text, visual, 住基 APs', 'adult', [SELECT.text, SELECT.visual], SELECT.juki, '9000'],
    ['SELECT MF by 3F00', 'adult', [J], '00A4000C023F00', '9000'],
    ['SELECT EF token', 'adult', [J], EF('0006'), '9000'],
    ['SELECT EF 0001 before the password (only READ is protected)', 'adult', [J], EF('0001'), '9000'],
    ['READ BINARY token: JPKIAPICCTOKEN2, space padded', 'adult', [J, EF('0006')], '00B0000020', { sw: '9000', dataPrefix: ascii('JPKIAPICCTOKEN2' + ' '.repeat(17)), dataLength: 32 }],
    ['READ BINARY auth cert header in 30 82 form', 'adult', [J, EF('000A')], '00B0000004', { sw: '9000', dataPrefix: '3082', dataLength: 4 }],
    ['READ BINARY by short EF id 0A (P1=8A), no SELECT', 'adult', [J], '00B08A0004', { sw: '9000', dataPrefix: '3082', dataLength: 4 }],
    ['READ BINARY Le=00 returns 256 bytes', 'adult', [J, EF('000A')], '00B0000000', { sw: '9000', dataLength: 256 }],
    ['READ BINARY extended Le 0000 returns the rest of the EF', 'adult', [J, EF('000B')], '00B00004000000', { sw: '9000', dataPrefix: '' }],
    ['READ BINARY past the end returns what there is', 'adult', [J, EF('0006')], '00B0001E10', { sw: '9000', dataLength: 2 }],
    ['VERIFY auth PIN', 'adult', [J, EF('0018')], verifyHex(AUTH), '9000'],
    ['VERIFY by P2=80|SFI (98) without SELECT EF', 'adult', [J], verifyHex(AUTH, '98'), '9000'],
    ['READ sign cert after the sign password', 'adult', [J, EF('001B'), verifyHex(SIGN), EF('0001')], '00B0000004', { sw: '9000', dataPrefix: '3082' }],
    ['CHANGE REFERENCE DATA after VERIFY', 'adult', [J, EF('0018'), verifyHex(AUTH)], '0024018004' + ascii('9876'), '9000'],
    ['GET CHALLENGE: 8 bytes', 'adult', [J], '0084000008', { sw: '9000', dataLength: 8 }],
    ['COMPUTE DIGITAL SIGNATURE after the auth PIN: 256 bytes', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('0017')], `802A008033${DIGEST_INFO}00`, { sw: '9000', dataLength: 256 }],
    ['COMPUTE DIGITAL SIGNATURE with the key by P2=80|SFI (97)', 'adult', [J, EF('0018'), verifyHex(AUTH)], `802A009733${DIGEST_INFO}00`, { sw: '9000', dataLength: 256 }],
    ['text AP my number after the 入力補助 PIN: FF 10 0C …', 'adult', [SELECT.text, EF('0011'), verifyHex(TEXT), EF('0001')], '00B0000011', { sw: '9000', dataPrefix: 'FF100C', dataLength: 17 }],
    ['text AP basic info after the 入力補助 PIN: FF 20 …', 'adult', [SELECT.text, EF('0011'), verifyHex(TEXT), EF('0002')], '00B0000003', { sw: '9000', dataPrefix: 'FF20' }],
    ['text AP info EF 0005 needs no PIN', 'adult', [SELECT.text, EF('0005')], '00B0000002', { sw: '9000', dataPrefix: 'FF40' }],
    ['住基AP 製造番号 by READ RECORD 00 B2 01 0C 00', 'adult', [SELECT.juki], '00B2010C00', { sw: '9000', dataPrefix: '04' }],
    ['simulator AP info is readable', 'adult', [SELECT.simulator, EF('0001')], '00B0000001', { sw: '9000', dataPrefix: ascii('{') }],
    ['GET RESET RECEIPT of the sign password: count 0, no challenges, challenge number 0, MAC', 'adult', [J], '80CA009B26', { sw: '9000', dataPrefix: '00'.repeat(22), dataLength: 38 }],
    ['GET RESET RECEIPT of the auth PIN with Le 00', 'adult', [J], '80CA009800', { sw: '9000', dataPrefix: '00'.repeat(22), dataLength: 38 }],
    ['GET RESET RECEIPT with extended Le 00 00 26', 'adult', [J], '80CA009B000026', { sw: '9000', dataLength: 38 }],
    ['GET RESET RECEIPT of a locked password', 'sign-locked', [J], '80CA009B26', { sw: '9000', dataLength: 38 }],
    ['GET RESET RECEIPT after GET CHALLENGE: no reset yet, a current challenge', 'adult', [J, '0084000008'], '80CA009B26', { sw: '9000', dataPrefix: '00'.repeat(10), dataLength: 38 }],
  ],
  '63 Cx tries left / wrong value': [
    ['empty VERIFY auth PIN: 63 C3', 'adult', [J, EF('0018')], '00200080', '63C3'],
    ['empty VERIFY sign password: 63 C5', 'adult', [J, EF('001B')], '00200080', '63C5'],
    ['empty VERIFY right after a correct VERIFY is still 63 C3, never 90 00', 'adult', [J, EF('0018'), verifyHex(AUTH)], '00200080', '63C3'],
    ['wrong auth PIN: 63 C2', 'adult', [J, EF('0018')], verifyHex('0000'), '63C2'],
    ['wrong sign password: 63 C4', 'adult', [J, EF('001B')], verifyHex('WRONG1'), '63C4'],
    ['third wrong auth PIN: 63 C0', 'adult', [J, EF('0018'), verifyHex('0000'), verifyHex('0001')], verifyHex('0002'), '63C0'],
    ['empty VERIFY of a blocked PIN: 63 C0 (OpenSC binds only on 63 Cx)', 'sign-locked', [J, EF('001B')], '00200080', '63C0'],
    ['empty VERIFY of the under-15 card\'s absent sign password: 63 C0', 'under15', [J, EF('001B')], '00200080', '63C0'],
    ['wrong 入力補助 PIN: 63 C2', 'adult', [SELECT.text, EF('0011')], verifyHex('0000'), '63C2'],
    ['wrong 住基 PIN: 63 C2', 'adult', [SELECT.juki, EF('001C')], verifyHex('0000'), '63C2'],
    ['照合番号A tries: 63 CA', 'adult', [SELECT.visual, EF('0013')], '00200080', '63CA'],
  ],
  '63 00 authentication failed': [
    ['EXTERNAL AUTHENTICATE with a wrong MAC', 'adult', [J, '0084000008'], '008200981000112233445566778899AABBCCDDEEFF', '6300'],
  ],
  '67 00 wrong length': [
    ['APDU shorter than a header', 'adult', [], '00A404', '6700'],
    ['Lc that does not match the data', 'adult', [], '00A4040C0AD392', '6700'],
    ['SELECT by AID with no data', 'adult', [], '00A4040C', '6700'],
    ['SELECT EF with 3 bytes', 'adult', [J], '00A4020C03000600', '6700'],
    ['READ BINARY without Le', 'adult', [J, EF('0006')], '00B00000', '6700'],
    ['READ BINARY with data', 'adult', [J, EF('0006')], '00B000000100', '6700'],
    ['VERIFY with Le', 'adult', [J, EF('0018')], '00200080043132333400', '6700'],
    ['VERIFY auth PIN of 5 digits (costs no try)', 'adult', [J, EF('0018')], verifyHex('12345'), '6700'],
    ['VERIFY sign password of 17 characters', 'adult', [J, EF('001B')], verifyHex('A'.repeat(17)), '6700'],
    ['GET CHALLENGE for 16 bytes', 'adult', [J], '0084000010', '6700'],
    ['EXTERNAL AUTHENTICATE with an 8-byte MAC', 'adult', [J, '0084000008'], '00820098080011223344556677', '6700'],
    ['GET RESET RECEIPT without Le', 'adult', [J], '80CA009B', '6700'],
    ['GET RESET RECEIPT with Le 10', 'adult', [J], '80CA009B10', '6700'],
    ['GET RESET RECEIPT with Le 22 (the 34-byte receipt before the challenge number)', 'adult', [J], '80CA009B22', '6700'],
    ['GET RESET RECEIPT with Le 27', 'adult', [J], '80CA009B27', '6700'],
    ['GET RESET RECEIPT with data', 'adult', [J], '80CA009B0100', '6700'],
    ['GET RESET RECEIPT with data and Le', 'adult', [J], '80CA009B010026', '6700'],
    ['GET RESET RECEIPT with extended Le 00 00 (65536)', 'adult', [J], '80CA009B000000', '6700'],
    ['signature over 246 bytes', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('0017')], `802A0080F6${'00'.repeat(246)}00`, '6700'],
    ['signature with Le 10', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('0017')], `802A008033${DIGEST_INFO}10`, '6700'],
  ],
  '68 81 / 68 82 / 68 84 class features not supported': [
    ['logical channel 1', 'adult', [], '01A4040C0AD392F000260100000001', '6881'],
    ['secure messaging', 'adult', [], '0CA4040C0AD392F000260100000001', '6882'],
    ['command chaining', 'adult', [], '10A4040C0AD392F000260100000001', '6884'],
  ],
  '69 81 command incompatible with the file': [
    ['READ BINARY of the auth PIN EF', 'adult', [J, EF('0018')], '00B0000004', '6981'],
    ['READ BINARY of the auth key EF', 'adult', [J, EF('0017')], '00B0000004', '6981'],
    ['READ RECORD of a transparent EF', 'adult', [J], '00B2013400', '6981'],
  ],
  '69 82 security status not satisfied': [
    ['sign cert before the sign password', 'adult', [J, EF('0001')], '00B0000004', '6982'],
    ['sign cert after the auth PIN only', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('0001')], '00B0000004', '6982'],
    ['signature without the PIN', 'adult', [J, EF('0017')], `802A008033${DIGEST_INFO}00`, '6982'],
    ['signature with the sign key after the auth PIN only', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('001A')], `802A008033${DIGEST_INFO}00`, '6982'],
    ['CHANGE REFERENCE DATA without VERIFY', 'adult', [J, EF('0018')], '0024018004' + ascii('9876'), '6982'],
    ['verification is cleared by reselecting the AP', 'adult', [J, EF('0018'), verifyHex(AUTH), J, EF('0017')], `802A008033${DIGEST_INFO}00`, '6982'],
    ['verification is cleared by a wrong VERIFY', 'adult', [J, EF('0018'), verifyHex(AUTH), verifyHex('0000'), EF('0017')], `802A008033${DIGEST_INFO}00`, '6982'],
    ['RESET RETRY COUNTER without EXTERNAL AUTHENTICATE', 'adult', [J], '002C029804' + ascii('1111'), '6982'],
    ['RESET RETRY COUNTER after a failed EXTERNAL AUTHENTICATE', 'adult', [J, '0084000008', '008200981000112233445566778899AABBCCDDEEFF'], '002C029804' + ascii('1111'), '6982'],
    ['my number before the 入力補助 PIN', 'adult', [SELECT.text, EF('0001')], '00B0000011', '6982'],
    ['basic info before any PIN', 'adult', [SELECT.text, EF('0002')], '00B0000003', '6982'],
    ['visual my-number image by SFI without 照合番号A', 'adult', [SELECT.visual], '00B0850003', '6982'],
    ['text AP PIN does not open the JPKI AP (per-AP verification)', 'adult', [SELECT.text, EF('0011'), verifyHex(TEXT), J, EF('0017')], `802A008033${DIGEST_INFO}00`, '6982'],
  ],
  '69 84 reference data not usable (blocked)': [
    ['VERIFY of a blocked sign password, even with the right value', 'sign-locked', [J, EF('001B')], verifyHex(pinOf('sign-locked', 'sign')), '6984'],
    ['VERIFY of a blocked auth PIN', 'auth-locked', [J, EF('0018')], verifyHex(pinOf('auth-locked', 'auth')), '6984'],
    ['VERIFY of the under-15 card\'s absent sign password', 'under15', [J, EF('001B')], verifyHex('ABC123'), '6984'],
    ['VERIFY after three wrong tries', 'adult', [J, EF('0018'), verifyHex('0000'), verifyHex('0001'), verifyHex('0002')], verifyHex(AUTH), '6984'],
    ['CHANGE REFERENCE DATA of a blocked PIN', 'sign-locked', [J, EF('001B')], '002401800A' + ascii('NEWPASS123'), '6984'],
  ],
  '69 85 conditions not satisfied': [
    ['EXTERNAL AUTHENTICATE without a challenge', 'adult', [J], '008200981000112233445566778899AABBCCDDEEFF', '6985'],
    ['EXTERNAL AUTHENTICATE twice on one challenge', 'adult', [J, '0084000008', '008200981000112233445566778899AABBCCDDEEFF'], '008200981000112233445566778899AABBCCDDEEFF', '6985'],
    ['EXTERNAL AUTHENTICATE outside the JPKI AP', 'adult', [SELECT.text, '0084000008'], '008200981000112233445566778899AABBCCDDEEFF', '6985'],
    ['signature outside the JPKI AP', 'adult', [SELECT.text], `802A009733${DIGEST_INFO}00`, '6985'],
    ['GET RESET RECEIPT with no AP selected', 'adult', [], '80CA009B26', '6985'],
    ['GET RESET RECEIPT outside the JPKI AP', 'adult', [SELECT.text, '0084000008'], '80CA009826', '6985'],
  ],
  '69 86 no current EF': [
    ['READ BINARY with no EF selected', 'adult', [J], '00B0000004', '6986'],
    ['READ BINARY after power-on (nothing selected)', 'adult', [], '00B0000004', '6986'],
  ],
  '6A 80 wrong data (new value format)': [
    ['new auth PIN with a letter', 'adult', [J, EF('0018'), verifyHex(AUTH)], '0024018004' + ascii('12A4'), '6A80'],
    ['new sign password without a digit', 'adult', [J, EF('001B'), verifyHex(SIGN)], '0024018008' + ascii('ABCDEFGH'), '6A80'],
    ['new sign password in lower case', 'adult', [J, EF('001B'), verifyHex(SIGN)], '0024018008' + ascii('abcd1234'), '6A80'],
  ],
  '6A 82 file or application not found': [
    ['SELECT an AID the card does not have (P2=0C)', 'adult', [], '00A4040C07A0000000030000', '6A82'],
    ['SELECT a PIV probe (P2=00): still 6A82, not 6A86', 'adult', [], '00A4040009A00000030800001000', '6A82'],
    ['SELECT an AID that is a prefix of the JPKI AID', 'adult', [], '00A4040C05D392F00026', '6A82'],
    ['SELECT EF with no AP selected', 'adult', [], EF('0006'), '6A82'],
    ['SELECT EF the AP does not have', 'adult', [J], EF('0005'), '6A82'],
    ['SELECT the sign cert on an under-15 card', 'under15', [J], EF('0001'), '6A82'],
    ['SELECT the sign key on an under-15 card', 'under15', [J], EF('001A'), '6A82'],
    ['READ BINARY by an SFI the AP does not have', 'adult', [J], '00B09F0004', '6A82'],
  ],
  '6A 83 record not found': [['READ RECORD 2 of the 住基AP', 'adult', [SELECT.juki], '00B2020C00', '6A83']],
  '6A 86 incorrect P1/P2': [
    ['SELECT the JPKI AP asking for FCI (P2=00)', 'adult', [], '00A404000AD392F000260100000001', '6A86'],
    ['SELECT by path (P1=08)', 'adult', [J], '00A4080C020006', '6A86'],
    ['SELECT EF asking for FCP (P2=04)', 'adult', [J], '00A4020402000A', '6A86'],
    ['READ BINARY SFI form with reserved bits', 'adult', [J], '00B0E00004', '6A86'],
    ['VERIFY with P1=01', 'adult', [J, EF('0018')], '00200180', '6A86'],
    ['VERIFY with P2=00', 'adult', [J, EF('0018')], '00200000', '6A86'],
    ['CHANGE REFERENCE DATA with P1=00 (old ‖ new)', 'adult', [J, EF('0018'), verifyHex(AUTH)], '0024008008' + ascii('12349876'), '6A86'],
    ['GET CHALLENGE with P1=01', 'adult', [J], '0084010008', '6A86'],
    ['RESET RETRY COUNTER with P1=03', 'adult', [J], '002C0398', '6A86'],
    ['GET RESET RECEIPT with P1=01', 'adult', [J], '80CA019B26', '6A86'],
    ['signature with P1=01 (hash on card, uncertain; not offered)', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('0017')], `802A018033${DIGEST_INFO}00`, '6A86'],
    ['READ RECORD by record id (P2 mode 000)', 'adult', [SELECT.juki], '00B2010800', '6A86'],
  ],
  '6A 88 reference data not found': [
    ['VERIFY with a non-PIN EF selected', 'adult', [J, EF('0006')], '00200080', '6A88'],
    ['VERIFY by an SFI that is not a PIN', 'adult', [J], '0020008A', '6A88'],
    ['EXTERNAL AUTHENTICATE for an unknown PIN ref', 'adult', [J, '0084000008'], '008200991000112233445566778899AABBCCDDEEFF', '6A88'],
    ['EXTERNAL AUTHENTICATE for the sign password of an under-15 card', 'under15', [J, '0084000008'], '0082009B1000112233445566778899AABBCCDDEEFF', '6A88'],
    ['GET RESET RECEIPT for an unknown PIN ref', 'adult', [J], '80CA009926', '6A88'],
    ['GET RESET RECEIPT for the JPKI AP\'s current EF (P2=80)', 'adult', [J, EF('001B')], '80CA008026', '6A88'],
    ['GET RESET RECEIPT for the sign password of an under-15 card', 'under15', [J], '80CA009B26', '6A88'],
    ['signature with no key EF selected', 'adult', [J, EF('0018'), verifyHex(AUTH)], `802A008033${DIGEST_INFO}00`, '6A88'],
  ],
  '6B 00 offset outside the EF': [['READ BINARY at the end of the token', 'adult', [J, EF('0006')], '00B0002001', '6B00']],
  '6D 00 instruction not supported': [
    ['GET DATA (CA)', 'adult', [J], '00CA010000', '6D00'],
    ['00 CA with the reset receipt\'s P1 P2 is GET DATA: only CLA 80 reads the receipt', 'adult', [J], '00CA009B26', '6D00'],
    ['UPDATE BINARY (D6): nothing on the card is writable by hosts', 'adult', [J, EF('0006')], '00D6000001FF', '6D00'],
    ['proprietary class, unknown INS', 'adult', [J], '8050000000', '6D00'],
  ],
  '6E 00 class not supported': [
    ['signature under CLA 00', 'adult', [J, EF('0018'), verifyHex(AUTH), EF('0017')], `002A008033${DIGEST_INFO}00`, '6E00'],
    ['SELECT under CLA 80', 'adult', [], '80A4040C0AD392F000260100000001', '6E00'],
    ['CLA FF', 'adult', [], 'FFA4040C0AD392F000260100000001', '6E00'],
    ['the reset receipt under CLA 84', 'adult', [J], '84CA009B26', '6E00'],
  ],
};

describe.each(Object.entries(table).filter(([, rows]) => rows.length > 0))('%s', (_sw, rows) => {
  it.each(rows)('%s', async (_name, persona, setup, apdu, expected) => {
    const { card, store } = await cards.fresh(persona);
    for (const s of setup) tx(card, s);
    const commitsBefore = store.commits.length;
    const response = tx(card, apdu);
    const exp: Expect = typeof expected === 'string' ? { sw: expected } : expected;
    expect(swHex(response)).toBe(exp.sw);
    const data = response.slice(0, -4);
    if (exp.dataPrefix !== undefined) expect(data.startsWith(exp.dataPrefix)).toBe(true);
    if (exp.dataLength !== undefined) expect(data.length / 2).toBe(exp.dataLength);
    if (typeof expected === 'string') expect(data).toBe('');
    // A refused command never leaves a trace on the card (only VERIFY's 63 Cx spends a try).
    if (!exp.sw.startsWith('9') && !exp.sw.startsWith('63C')) expect(store.commits.length).toBe(commitsBefore);
  });
});

describe('status words that depend on state across commands', () => {
  it('65 81 when the card cannot store a change: the host is told nothing changed, and nothing did', async () => {
    const file = await cards.file('adult');
    const { loadCard } = await import('../../native/card/card-module');
    const card = loadCard(file, { store: { commit: () => { throw new Error('disk full'); } }, lock: false });
    tx(card, J);
    tx(card, EF('0018'));
    expect(tx(card, verifyHex('0000'))).toBe('6581');
    expect(tx(card, '00200080')).toBe('63C3');
    // GET CHALLENGE stores the count of challenges first: no challenge it could not count.
    expect(tx(card, '0084000008')).toBe('6581');
    expect(tx(card, '008200981000112233445566778899AABBCCDDEEFF')).toBe('6985');
  });

  it('照合番号A opens the my number but not the basic info; B the reverse', async () => {
    const { card } = await cards.fresh('adult');
    const h = card.state.holder;
    const b = h.birthDate.replace(/-/g, '').slice(2) + h.cardExpiry.slice(0, 4) + h.securityCode;
    tx(card, SELECT.text);
    expect(tx(card, verifyHex(h.myNumber, '94'))).toBe('9000');
    expect(tx(card, '00B0810011')).toBe('FF100C' + ascii(h.myNumber) + 'FFFF9000');
    expect(swHex(tx(card, '00B0820003'))).toBe('6982');
    tx(card, SELECT.text);
    expect(tx(card, verifyHex(b, '95'))).toBe('9000');
    expect(swHex(tx(card, '00B0810011'))).toBe('6982');
    expect(swHex(tx(card, '00B0820003'))).toBe('9000');
  });

  it('69 85 for changing 照合番号A, which is printed on the card, not chosen', async () => {
    const { card } = await cards.fresh('adult');
    tx(card, SELECT.visual);
    tx(card, EF('0013'));
    expect(tx(card, verifyHex(card.state.holder.myNumber))).toBe('9000');
    expect(tx(card, '002401800C' + ascii('123456789012'))).toBe('6985');
  });

  it('every persona answers the tries-left queries as its table says', async () => {
    for (const id of Object.keys(PERSONAS) as PersonaId[]) {
      const { card } = await cards.fresh(id);
      const p = PERSONAS[id];
      tx(card, J);
      tx(card, EF('0018'));
      expect(swHex(tx(card, '00200080')), `${id} auth`).toBe(`63C${p.triesLeft?.auth ?? 3}`);
      tx(card, EF('001B'));
      const signTries = p.pins.sign === null ? 0 : (p.triesLeft?.sign ?? 5);
      expect(swHex(tx(card, '00200080')), `${id} sign`).toBe(`63C${signTries}`);
    }
  });

  it('power-off and reset clear verification, selection and the challenge', async () => {
    const { card } = await cards.fresh('adult');
    for (const clear of [() => card.powerOff(), () => card.reset()]) {
      tx(card, J);
      tx(card, EF('0018'));
      expect(tx(card, verifyHex(AUTH))).toBe('9000');
      tx(card, '0084000008');
      clear();
      card.powerOn();
      expect(tx(card, '00B0000004')).toBe('6986'); // nothing selected
      tx(card, J);
      tx(card, EF('0017'));
      expect(swHex(tx(card, `802A008033${DIGEST_INFO}00`))).toBe('6982');
      expect(tx(card, '008200981000112233445566778899AABBCCDDEEFF')).toBe('6985');
    }
  });

  it('a correct VERIFY restores the full count; a 5-digit value costs no try', async () => {
    const { card, store } = await cards.fresh('adult');
    tx(card, J);
    tx(card, EF('0018'));
    expect(tx(card, verifyHex('0000'))).toBe('63C2');
    expect(tx(card, verifyHex('12345'))).toBe('6700');
    expect(tx(card, '00200080')).toBe('63C2');
    expect(tx(card, verifyHex(AUTH))).toBe('9000');
    expect(tx(card, '00200080')).toBe('63C3');
    // One write for the wrong try, one for restoring the count; the refused 5 digits wrote nothing.
    expect(store.commits.map((s) => s.pins.auth?.triesLeft)).toEqual([2, 3]);
  });
});
