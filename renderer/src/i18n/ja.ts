/**
 * Japanese: the kiosk's first language. Our own wording, in the order and with the meaning of real
 * multicopier terminals (kiosk-flow.md). Password and chain names come from the domain modules, so
 * the screens say exactly what the rules say.
 */
import { CHAINS, type ChainId } from '../../../electron/domain/chains';
import { PASSWORD_RULES } from '../../../electron/domain/passwords';
import { msg } from './message';

const SIGN = PASSWORD_RULES.sign.labelJa; // 署名用電子証明書のパスワード
const AUTH = PASSWORD_RULES.auth.labelJa; // 利用者証明用電子証明書の暗証番号

const chainNames = Object.fromEntries(Object.values(CHAINS).map((c) => [c.id, c.nameJa])) as Record<ChainId, string>;

export const ja = {
  app: {
    name: 'マルチコピー機',
    connecting: '準備中です。しばらくお待ちください',
    unavailableTitle: 'ただいま、この端末はご利用いただけません',
    unavailableBody: 'お手数ですが、店員にお声がけください。',
    sendFailed: '通信できませんでした。もう一度タッチしてください。',
  },
  common: {
    /** The language button shows the language it switches to. */
    switchLanguage: 'English',
    cancel: 'やめる',
    back: '戻る',
    next: '次へ',
    ok: '確認',
    agree: '同意する',
  },
  journey: {
    label: '手続きの流れ',
    notice: 'ご注意',
    card: 'カード読み取り',
    verify: '本人確認',
    'new-password': '新しいパスワード',
    done: '完了',
    current: '(現在の手順)',
  },
  services: {
    copy: 'コピー',
    print: 'プリント',
    photo: '写真プリント',
    scan: 'スキャン',
    fax: 'ファクス',
    admin: '行政サービス',
  },
  top: {
    heading: 'ご利用になるサービスを選択してください',
    note: 'このシミュレータでは「行政サービス」のみご利用いただけます。',
  },
  adminMenu: {
    title: '行政サービス',
    heading: 'ご利用になるサービスを選択してください',
    items: {
      certificates: { label: '証明書交付', detail: '住民票の写し・印鑑登録証明書など' },
      'my-number-card': { label: 'マイナンバーカード', detail: '電子証明書のパスワードの初期化・再設定' },
    },
    disabled: 'このシミュレータではご利用いただけません',
  },
  cardMenu: {
    title: 'マイナンバーカード',
    heading: '手続きを選択してください',
    options: {
      'reset-sign': { label: `${SIGN}の初期化・再設定`, detail: `英大文字と数字の6〜16桁 ・ ${AUTH}(数字4桁)が必要です` },
      'reset-auth': { label: `${AUTH}の初期化・再設定`, detail: `数字4桁 ・ ${SIGN}が必要です` },
      'reset-juki': { label: PASSWORD_RULES.juki.labelJa, detail: '市区町村の窓口でのみ初期化できます' },
      'reset-text': { label: PASSWORD_RULES.text.labelJa, detail: '市区町村の窓口でのみ初期化できます' },
    },
    otherPins: 'その他の暗証番号',
    notOffered: 'この店舗では取り扱っていません',
  },
  passwords: {
    name: { sign: SIGN, auth: AUTH },
    format: { sign: '英大文字と数字の6〜16桁', auth: '数字4桁' },
  },
  notice: {
    title: 'ご注意',
    heading: 'ご利用の前に、次の内容をご確認ください',
    reservation: 'スマートフォンアプリ「JPKI暗証番号リセット」での事前予約が必要です。予約の完了から24時間以内にご利用ください。',
    needs: {
      sign: `マイナンバーカードと、${AUTH}(数字4桁)が必要です。`,
      auth: `マイナンバーカードと、${SIGN}(英大文字と数字の6〜16桁)が必要です。`,
    },
    what: {
      sign: `新しいパスワードを2回入力すると、カードの${SIGN}が書き換わります。`,
      auth: `新しい暗証番号を2回入力すると、カードの${AUTH}が書き換わります。`,
    },
    keepCard: '手続きが終わるまで、カードは読み取り機に置いたままにしてください。',
    lock: '暗証番号やパスワードを続けて間違えるとロックされ、この端末では手続きできなくなります。',
    prompt: '内容に同意いただける場合は「同意する」を押してください。',
  },
  placeCard: {
    heading: 'カードを置いてください',
    body: 'マイナンバーカードを、読み取り機の上に置いてください。',
    keep: '手続きが終わるまで取り外さないでください。',
    reader: {
      unavailable: 'カード読み取り機が使えません。店員にお声がけください。',
      'no-reader': 'カード読み取り機が見つかりません。店員にお声がけください。',
      empty: 'カードが置かれるのを待っています',
      'card-present': 'カードを確認しました',
    },
    readerName: msg((p) => `読み取り機: ${p('name')}`),
  },
  progress: {
    step: {
      'reading-card': 'カードを読み取っています',
      'checking-reservation': '予約を確認しています',
      'verifying-password': '入力された暗証番号を確認しています',
      authorizing: '手続きの承認を受けています',
      'writing-card': 'カードに新しいパスワードを書き込んでいます',
      confirming: '手続きの完了を記録しています',
    },
    wait: 'しばらくお待ちください',
    keepCard: 'カードは置いたままにしてください',
    doNotRemove: '処理中です。カードを取り外さないでください',
  },
  otherPassword: {
    heading: { sign: `${SIGN}を入力してください`, auth: `${AUTH}を入力してください` },
    /** Keyed by the reset being done: why the other password is asked. */
    why: {
      sign: `ご本人の確認のため、${AUTH}(数字4桁)を入力してください。住民基本台帳用・券面事項入力補助用の暗証番号とは異なる場合があります。`,
      auth: `ご本人の確認のため、${SIGN}(英大文字と数字の6〜16桁)を入力してください。`,
    },
    triesLeft: msg((p) => `残り入力回数 ${p('count')}回`),
    lock: msg((p) => `あと${p('count')}回間違えるとロックされます。ロックされると、この端末では手続きできません(市区町村の窓口での手続きが必要です)。`),
    wrong: { sign: 'パスワードが正しくありません。', auth: '暗証番号が正しくありません。' },
    dontKnow: 'わからない場合',
  },
  newPassword: {
    heading: { sign: `新しい${SIGN}を入力してください`, auth: `新しい${AUTH}を入力してください` },
    confirmHeading: '確認のため、もう一度入力してください',
    confirmBody: '1回目と同じものを入力してください。',
    mismatch: '1回目と2回目の入力が一致しませんでした。もう一度、最初から入力してください。',
    rules: {
      length: msg((p) => `${p('min')}〜${p('max')}桁`),
      exact: msg((p) => `数字${p('count')}桁`),
      letter: '英大文字(A〜Z)を1文字以上',
      digit: '数字(0〜9)を1文字以上',
      met: '(満たしています)',
      unmet: '(まだ満たしていません)',
    },
    keepSecret: '生年月日など、他人に推測されやすいものは避けてください。',
  },
  entry: {
    field: {
      sign: 'パスワード入力欄',
      auth: '暗証番号入力欄',
    },
    count: msg((p) => `${p('length')}/${p('max')}桁`),
    show: '表示する',
    hide: '隠す',
    delete: '1文字消す',
    clear: 'すべて消す',
    submit: '確定',
    keypad: '数字キー',
    keyboard: '英数字キー',
    ready: 'この内容で確定できます',
    problem: {
      empty: '入力してください',
      'too-short': msg((p) => `${p('min')}桁以上で入力してください`),
      'too-long': msg((p) => `${p('max')}桁以下で入力してください`),
      exact: msg((p) => `${p('count')}桁で入力してください`),
      'digits-only-allowed': '数字のみ入力できます',
      'invalid-character': '英大文字(A〜Z)と数字(0〜9)のみ入力できます',
      'needs-letter': '英大文字(A〜Z)を1文字以上含めてください',
      'needs-digit': '数字(0〜9)を1文字以上含めてください',
    },
  },
  done: {
    heading: '手続きが完了しました',
    body: { sign: `${SIGN}を新しいパスワードに変更しました。`, auth: `${AUTH}を新しい暗証番号に変更しました。` },
    keepSecret: '新しいパスワードは、他の人に知られないよう大切に管理してください。',
  },
  takeCard: {
    heading: 'カードをお取りください',
    after: {
      completed: 'お忘れ物のないよう、ご注意ください。',
      refused: '手続きは行われませんでした。',
      cancelled: '手続きを中止しました。カードの内容は変更されていません。',
      'timed-out': '一定時間操作がなかったため、手続きを終了しました。',
    },
    back: 'カードを取り出すと、最初の画面に戻ります。',
    removed: 'カードが取り出されました。',
  },
  guidance: {
    title: 'ご案内',
    next: '今後の手続き',
    reason: {
      'outside-hours': {
        title: 'ただいまの時間は、この手続きをご利用いただけません',
        body: 'この手続きは、毎日6:30〜23:00にご利用いただけます。',
      },
      maintenance: {
        title: 'ただいまメンテナンス中のため、ご利用いただけません',
        body: 'システムのメンテナンスを行っています。',
      },
      'no-reservation': {
        title: 'このカードの予約が見つかりません',
        body: 'この手続きには、スマートフォンアプリ「JPKI暗証番号リセット」での事前予約が必要です。',
      },
      'reservation-expired': {
        title: '予約の有効期限が過ぎています',
        body: '予約は、完了から24時間有効です。',
      },
      'reservation-used': {
        title: 'この予約は、すでに使用されています',
        body: '1回の予約で行える手続きは1回です。',
      },
      'app-locked': {
        title: 'このカードでは、アプリをご利用いただけなくなっています',
        body: '顔照合に続けて失敗したため、安全のためアプリでの予約ができなくなっています。',
      },
      'chain-does-not-offer': {
        title: 'この店舗では、この手続きを取り扱っていません',
        body: `${AUTH}の初期化・再設定は、一部の店舗でのみ取り扱っています。`,
      },
      'other-password-locked': {
        title: 'ご本人の確認に使う暗証番号がロックされています',
        body: 'ロックされた暗証番号やパスワードは、この端末では解除できません。',
      },
      'both-passwords-locked': {
        title: `${SIGN}と${AUTH}の両方がロックされています`,
        body: 'この端末では手続きできません。',
      },
      'both-passwords-unknown': {
        title: 'ご本人の確認ができないため、この端末では手続きできません',
        body: `${SIGN}と${AUTH}の両方がわからない場合は、窓口での手続きになります。`,
      },
      'no-signature-certificate': {
        title: 'このカードには署名用電子証明書がありません',
        body: '署名用電子証明書が発行されていないため(15歳未満の方など)、初期化するパスワードはありません。',
      },
      'certificate-revoked': {
        title: '電子証明書が失効しています',
        body: '住所や氏名の変更などで電子証明書が失効しているため、パスワードを初期化しても使えるようにはなりません。',
      },
      'certificate-expired': {
        title: '電子証明書の有効期限が切れています',
        body: '有効期限が切れた電子証明書のパスワードは、この端末では初期化できません。',
      },
      'card-expired': {
        title: 'カードの有効期限が切れています',
        body: '有効期限が切れたカードは、この端末ではご利用いただけません。',
      },
      'not-my-number-card': {
        title: 'マイナンバーカードを確認できませんでした',
        body: '置かれたカードは、マイナンバーカードではないようです。',
      },
      'real-card': {
        title: 'このカードは、このシミュレータでは使えません',
        body: 'このシミュレータは、実際のカードの内容を変更しません。',
      },
      'counter-only-pin': {
        title: 'この暗証番号は、この端末では初期化できません',
        body: '住民基本台帳用・券面事項入力補助用の暗証番号の初期化は、市区町村の窓口で行います。',
      },
      'card-removed': {
        title: 'カードが取り外されました',
        body: '手続きの途中でカードが読み取り機から離れました。',
      },
      'reader-unavailable': {
        title: 'カード読み取り機が使えません',
        body: 'ただいま、カードを読み取ることができません。',
      },
      'center-unavailable': {
        title: 'ただいま、この手続きを一時的にご利用いただけません',
        body: '予約を確認するシステムに接続できませんでした。',
      },
      'card-error': {
        title: 'カードを正しく読み書きできませんでした',
        body: 'カードの読み書き中に問題が起きました。',
      },
    },
    /** no-signature-certificate while resetting the 利用者証明用 PIN: the other password does not exist. */
    noSignatureForAuth: `${AUTH}の初期化・再設定には、${SIGN}によるご本人の確認が必要ですが、このカードには署名用電子証明書がありません。`,
    /** other-password-locked: which one is locked, by the reset being done. */
    lockedOther: {
      sign: `${AUTH}がロックされています。`,
      auth: `${SIGN}がロックされています。`,
    },
    changed: {
      nothing: 'カードの内容は変更されていません。',
      'reset-completed': 'パスワードの変更は完了しています。新しいパスワードをご利用ください。',
      unknown:
        '書き込みの途中でカードが取り外されたため、パスワードが変更されたかどうかを確認できませんでした。新しいパスワードでお試しいただくか、市区町村の窓口でご確認ください。',
    },
    nextStep: {
      'come-back-when-open': msg((p) => `${p('time')}以降に、もう一度お越しください。`),
      'come-back-when-open-default': '6:30以降に、もう一度お越しください。',
      'book-in-app': 'スマートフォンアプリ「JPKI暗証番号リセット」で予約してから、24時間以内にもう一度お越しください。',
      'other-store-or-counter': '次の店舗のマルチコピー機、またはお住まいの市区町村の窓口をご利用ください。',
      'municipal-counter': 'お住まいの市区町村の窓口にお問い合わせください。',
      'municipal-counter-with-id': 'マイナンバーカードと本人確認書類(運転免許証など)をお持ちのうえ、お住まいの市区町村の窓口で手続きしてください。',
      'municipal-counter-reissue': 'お住まいの市区町村の窓口で、電子証明書の発行の手続きをしてください。',
      'nothing-to-do': 'この手続きの必要はありません。',
      'use-simulator-card': 'シミュレータ用のカードを置いて、最初からやり直してください。',
      'start-again': 'カードを置いて、最初からやり直してください。',
      'try-later-or-ask-staff': 'しばらくしてからもう一度お試しいただくか、店員にお声がけください。',
    },
  },
  chains: chainNames,
  /** The simulator's card tray: the trainer's stand-in for the citizen's hand, not part of the kiosk. */
  trainer: {
    tab: 'カード置き場',
    title: 'シミュレータ:カード置き場',
    hint: '利用者の手の代わりに、仮想カードを読み取り機に置いたり取り出したりします。',
    place: '置く',
    placeNamed: msg((p) => `${p('holder')}さんのカードを置く`),
    onReader: '読み取り機の上',
    remove: 'カードを取り出す',
    close: '閉じる',
    refresh: '一覧を更新',
    loading: '読み込み中…',
    empty: '仮想カードがありません。',
    unavailable: '仮想カードの読み取り機が使えません(pcscd / vpcd を確認してください)。',
    problem: {
      'no-such-card': 'そのカードは見つかりません。',
      'reader-unavailable': '仮想カードの読み取り機が使えません。',
      failed: 'カードを置く・取り出す操作に失敗しました。',
    },
  },
  timeout: {
    remaining: msg((p) => `残り${p('seconds')}秒`),
    heading: '操作を続けますか?',
    body: msg((p) => `操作がないため、あと${p('seconds')}秒で手続きを終了します。続ける場合は「続ける」を押してください。`),
    continue: '続ける',
  },
};
