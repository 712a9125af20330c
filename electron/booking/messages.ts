/**
 * What the app simulator says, Japanese first (docs/domain-rules.md §3: every refusal says why
 * and where to go next). Used by the CLI now and by the renderer's app page later.
 */
import { formatJst } from '../domain/hours';
import { PASSWORD_RULES, type PasswordFormatProblem, type ResetKind } from '../domain/passwords';
import type { CardFrontProblem } from './card-front';
import type { BookingRefusal } from './flow';

export interface BilingualText {
  readonly ja: string;
  readonly en: string;
}

export interface Guidance {
  readonly why: BilingualText;
  readonly next: BilingualText;
}

export const KIND_LABEL: Readonly<Record<ResetKind, BilingualText>> = {
  sign: { ja: '署名用電子証明書のパスワード', en: 'the signature certificate password' },
  auth: { ja: '利用者証明用電子証明書の暗証番号', en: 'the user authentication PIN' },
};

const COUNTER: BilingualText = { ja: 'お住まいの市区町村の窓口へお越しください(カードと本人確認書類をお持ちください)。', en: 'Please go to your municipal office counter (bring the card and a photo ID).' };

/** A refusal as the flow's `refused` state or the app page's (AppState) has it. */
export interface RefusalFacts {
  readonly step: 'refused';
  readonly reason: BookingRefusal;
  readonly kind?: ResetKind | null;
  readonly until?: number | null;
  readonly centerReason?: string | null;
}

export function refusalGuidance(s: RefusalFacts): Guidance {
  const r: BookingRefusal = s.reason;
  switch (r) {
    case 'maintenance': {
      const at = s.until !== undefined && s.until !== null ? formatJst(s.until) : undefined;
      return {
        why: { ja: '現在メンテナンス中のため予約できません。', en: 'Reservations are not available during maintenance.' },
        next: at
          ? { ja: `${at} 以降にもう一度お試しください。`, en: `Please try again after ${at} (Japan time).` }
          : { ja: 'しばらくしてからもう一度お試しください。', en: 'Please try again later.' },
      };
    }
    case 'app-locked':
      return {
        why: { ja: '顔認証に5回続けて失敗したため、安全のためこのカードではアプリを利用できません。', en: 'After 5 failed face checks in a row, the app is locked for this card for your safety.' },
        next: COUNTER,
      };
    case 'real-card':
      return {
        why: { ja: 'このシミュレータは本物のマイナンバーカードには書き込みません(読み取りのみ)。', en: 'This simulator never writes to a real My Number card (it only reads it).' },
        next: { ja: 'シミュレータ用のカードで操作してください。本物のカードの予約は公式アプリで行ってください。', en: 'Use a simulator card. For a real card, use the official app.' },
      };
    case 'no-sign-certificate':
      return {
        why: { ja: 'このカードには署名用電子証明書がないため、初期化するパスワードがありません。', en: 'This card has no signature certificate, so there is no password to reset.' },
        next: { ja: '必要な場合は市区町村の窓口で発行を申請してください。', en: 'If you need one, apply at your municipal office.' },
      };
    case 'no-other-password':
      return {
        why: {
          ja: '利用者証明用暗証番号の予約には署名用電子証明書のパスワードが必要ですが、このカードにはありません。',
          en: 'Booking a user authentication PIN reset needs the signature password, which this card does not have.',
        },
        next: COUNTER,
      };
    case 'card-front-locked':
      return {
        why: { ja: 'カード券面の情報が続けて一致しなかったため、カードの読み取りがロックされました。', en: 'The card-front data did not match too many times; reading the card is locked.' },
        next: COUNTER,
      };
    case 'password-locked':
      return {
        why: {
          ja: `${s.kind ? KIND_LABEL[s.kind === 'sign' ? 'auth' : 'sign'].ja : 'もう一方のパスワード'}がロックされているため、本人確認ができません。`,
          en: `${s.kind ? capitalize(KIND_LABEL[s.kind === 'sign' ? 'auth' : 'sign'].en) : 'The other password'} is locked, so you cannot be verified.`,
        },
        next: COUNTER,
      };
    case 'card-unavailable':
      return {
        why: { ja: 'カードを読み取れませんでした。', en: 'The card could not be read.' },
        next: { ja: 'カードをかざし直して、最初からやり直してください。', en: 'Hold the card to the reader again and start over.' },
      };
    case 'center-unavailable':
      return {
        why: { ja: '予約センターに接続できませんでした。予約は完了していません。', en: 'The reservation center could not be reached. No reservation was made.' },
        next: { ja: 'しばらくしてからもう一度お試しください。', en: 'Please try again later.' },
      };
    case 'center-refused':
      return {
        why: { ja: '予約センターが予約を受け付けませんでした。', en: `The reservation center refused the reservation${s.centerReason ? ` (${s.centerReason})` : ''}.` },
        next: { ja: '最初からやり直してください。', en: 'Please start over.' },
      };
  }
}

export function cardFrontProblemMessage(field: CardFrontProblem): BilingualText {
  switch (field) {
    case 'birth-date':
      return { ja: '生年月日を YYYY-MM-DD で入力してください。', en: 'Enter the birth date as YYYY-MM-DD.' };
    case 'card-expiry':
      return { ja: 'カードの有効期限を YYYY-MM-DD で入力してください。', en: 'Enter the card expiry date as YYYY-MM-DD.' };
    case 'security-code':
      return { ja: 'セキュリティコードは4桁の数字です。', en: 'The security code is 4 digits.' };
  }
}

export function passwordPrompt(asks: ResetKind, triesLeft: number): BilingualText {
  const rule = PASSWORD_RULES[asks];
  const format = asks === 'sign' ? { ja: '英大文字と数字 6〜16文字', en: '6–16 upper-case letters and digits' } : { ja: '数字4桁', en: '4 digits' };
  return {
    ja: `${rule.labelJa}(${format.ja})を入力してください。残り ${triesLeft} 回間違えるとロックされます。`,
    en: `Enter ${KIND_LABEL[asks].en} (${format.en}). ${triesLeft} wrong ${triesLeft === 1 ? 'try' : 'tries'} left before it locks.`,
  };
}

export function passwordFormatMessage(problem: PasswordFormatProblem): BilingualText {
  const m: Record<PasswordFormatProblem, BilingualText> = {
    empty: { ja: '入力してください。', en: 'Please enter it.' },
    'too-short': { ja: '桁数が足りません。', en: 'Too short.' },
    'too-long': { ja: '桁数が多すぎます。', en: 'Too long.' },
    'digits-only-allowed': { ja: '数字のみ入力できます。', en: 'Digits only.' },
    'invalid-character': { ja: '英大文字と数字のみ入力できます。', en: 'Upper-case letters and digits only.' },
    'needs-letter': { ja: '英字を1文字以上含めてください。', en: 'Include at least one letter.' },
    'needs-digit': { ja: '数字を1文字以上含めてください。', en: 'Include at least one digit.' },
  };
  return m[problem];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
