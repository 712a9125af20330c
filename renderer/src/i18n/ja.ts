/**
 * Japanese: the kiosk's first language. Our own wording, in the order and with the meaning of real
 * multicopier terminals (docs/kiosk-flow.md). Password and chain names come from the domain modules, so
 * the screens say exactly what the rules say.
 */
import { CHAINS, type ChainId } from '@domain/chains';
import { PASSWORD_RULES } from '@domain/passwords';
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
      'reset-already-done': {
        title: 'パスワードの変更は、前回の操作で完了しています',
        body: '前回の操作の途中でカードが取り外されましたが、カードには新しいパスワードが設定されていました。予約はその操作で使われています。',
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
      'not-written': 'カードの内容は変更されていません。予約は使われていないため、もう一度お試しいただけます。',
      'reset-completed': 'パスワードの変更は完了しています。新しいパスワードをご利用ください。',
      unknown:
        '書き込みの途中でカードが取り外されたため、パスワードが変更されたかどうかをまだ確認できていません。もう一度カードを置いて手続きを始めると、カードの記録から確認してご案内します。変更されていなければ、予約はそのまま使えます。',
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
    views: {
      label: 'トレーナーの道具',
      cards: 'カード',
      settings: '設定',
      app: 'スマホアプリ',
    },
  },
  /** The trainer's settings panel (in the trainer drawer; never on the citizen's screen). */
  settings: {
    title: 'シミュレータ:端末の設定',
    hint: 'トレーナー用の設定です。変更は端末にそのまま反映されます。',
    loadFailed: '設定を読み込めませんでした。',
    saved: msg((p) => `変更しました(${p('effect')})。`),
    effect: {
      now: 'すぐに有効',
      'next-countdown': '次の画面・操作から有効',
      'next-session': '次の利用者から有効(利用中でなければすぐ)',
      'next-start': '次回の起動から有効',
    },
    problem: {
      'warning-longer-than-inactivity': '「残り時間を大きく表示」は「操作待ち」より短くしてください。',
      'maintenance-window-empty': 'メンテナンスの終了は、開始より後にしてください。',
      'center-url-invalid': '予約センターのURLが正しくありません。',
      'center-unavailable': '予約センターの設定を変更できませんでした。',
      failed: '変更できませんでした(シミュレータに接続できません)。',
    },
    chain: {
      heading: '店舗チェーン',
      offers: { both: '署名用・利用者証明用', sign: '署名用のみ' },
    },
    clock: {
      heading: '時計(シミュレーション)',
      now: msg((p) => `端末の時刻: ${p('time')}`),
      mode: {
        system: '実際の時刻',
        offset: msg((p) => `ずらした時刻(${p('offset')}、進みます)`),
        fixed: '止めた時刻',
      },
      center: msg((p) => `予約センターの時刻: ${p('time')}(${p('offset')})`),
      centerUnavailable: '予約センターの時計は、このシミュレータからは変更できません。',
      preset: {
        'before-closing': '今日の 22:59',
        'before-opening': '今日の 6:29',
        'plus-day': '24時間進める',
        real: '実際の時刻に戻す',
      },
      presetHint: {
        'before-closing': '1分後に23:00の受付終了',
        'before-opening': '1分後に6:30の受付開始',
        'plus-day': '予約の期限切れ(予約センターも)',
        real: '端末と予約センターの両方',
      },
      custom: '日時を指定(日本時間)',
      run: 'この日時から進める',
      freeze: 'この日時で止める',
      invalid: '正しい日時を入力してください。',
    },
    timeouts: {
      heading: 'タイムアウト',
      inactivity: '操作待ち(秒)',
      warning: '残り時間を大きく表示(秒)',
      takeCard: 'カードの取り忘れ待ち(秒)',
      save: 'タイムアウトを保存',
    },
    language: {
      heading: '最初に表示する言語',
    },
    maintenance: {
      heading: 'メンテナンス時間帯',
      hint: 'この時間帯は、端末での手続きを受け付けません(日本時間)。',
      none: '設定されていません。',
      window: msg((p) => `${p('from')} 〜 ${p('until')}`),
      from: '開始',
      until: '終了',
      note: 'メモ',
      nextHour: '今から1時間',
      add: '追加',
      remove: '削除',
      alsoCenter: '予約センター(アプリの予約)も同じ時間帯をメンテナンスにする',
      centerHeading: '予約センターのメンテナンス時間帯:',
    },
    startup: {
      heading: '起動時に読む設定',
      reader: msg((p) => `読み取り機: ${p('name')}`),
      readerAuto: '読み取り機: 自動(カードのある読み取り機)',
      center: msg((p) => `予約センター: ${p('url')}`),
      centerEmbedded: '予約センター: シミュレータ内蔵',
      hint: 'settings.json で変更し、シミュレータを起動し直してください。',
    },
  },
  /** The smartphone-app simulator page (#/app): the phone's screens, then the trainer's side. */
  phone: {
    appName: 'JPKI暗証番号リセット',
    appNote: 'シミュレータのスマホアプリ(実際のアプリではありません)',
    busy: '処理中です…',
    cancel: 'やめる',
    next: '次へ',
    restart: '最初に戻る',
    idle: {
      heading: 'パスワード初期化の予約',
      body: '左の「利用者のカード」から、カードを選ぶとアプリが始まります。',
    },
    consent: {
      heading: '同意事項',
      body: '予約の完了から24時間以内に、対応するコンビニのマルチコピー機でパスワードを初期化・再設定できます。',
      steps: '予約には、カード券面の読み取り、もう一方のパスワードの入力(間違えると残り回数が減ります)、署名用の場合は顔認証が必要です。',
      agree: '同意する',
      disagree: '同意しない',
    },
    kind: {
      heading: '初期化するパスワードを選んでください',
      needs: {
        sign: `本人確認に${AUTH}(数字4桁)と顔認証を使います。`,
        auth: `本人確認に${SIGN}(英大文字と数字の6〜16桁)を使います。`,
      },
    },
    front: {
      heading: 'カードの表面を読み取ります',
      body: 'カードの表面を撮影すると、生年月日・有効期限・セキュリティコードが読み取られます。読み取り結果を確認して「次へ」を押してください。',
      photo: 'カードを撮影する',
      birthDate: '生年月日',
      cardExpiry: 'カードの有効期限',
      securityCode: 'セキュリティコード(数字4桁)',
      problem: {
        'birth-date': '生年月日を正しく入力してください。',
        'card-expiry': 'カードの有効期限を正しく入力してください。',
        'security-code': 'セキュリティコードは数字4桁です。',
      },
      mismatch: msg((p) => `カードの情報と一致しません。あと${p('count')}回間違えると、カードの読み取りがロックされます。`),
    },
    password: {
      heading: {
        sign: `${SIGN}を入力してください`,
        auth: `${AUTH}を入力してください`,
      },
      /** Keyed by the password asked for (docs/kiosk-flow.md §6: the app must say which PIN, every time). */
      which: {
        sign: `いま入力するのは「${SIGN}」(英大文字と数字の6〜16桁)です。`,
        auth: `いま入力するのは「${AUTH}」(数字4桁)です。住民基本台帳用・券面事項入力補助用の暗証番号とは異なる場合があります。`,
      },
      hold: 'カードをスマートフォンにかざしたまま入力してください。',
      triesLeft: msg((p) => `残り入力回数 ${p('count')}回`),
      lock: msg((p) => `あと${p('count')}回間違えるとロックされ、市区町村の窓口での手続きが必要になります。`),
      wrong: { sign: 'パスワードが正しくありません。', auth: '暗証番号が正しくありません。' },
    },
    face: {
      heading: '顔認証',
      body: 'スマートフォンのカメラに顔を向けてください。カードの顔写真と照合します。',
      waiting: '照合しています…(結果はトレーナーが決めます)',
      failed: msg((p) => `顔が一致しませんでした。あと${p('count')}回続けて失敗すると、安全のためこのカードではアプリを利用できなくなります。`),
    },
    booked: {
      heading: '予約が完了しました',
      kind: { sign: `${SIGN}の初期化・再設定`, auth: `${AUTH}の初期化・再設定` },
      until: msg((p) => `${p('time')}までに、対応するコンビニのマルチコピー機で手続きしてください(24時間有効)。`),
      replaced: 'このカードの以前の予約は、この予約に置き換わりました。',
      bookingId: msg((p) => `予約番号: ${p('id')}`),
    },
    refused: {
      heading: '予約できませんでした',
      next: '今後の手続き',
      reason: {
        maintenance: 'ただいまメンテナンス中のため、予約できません。',
        'app-locked': '顔認証に5回続けて失敗したため、安全のため、このカードではアプリを利用できません。',
        'real-card': 'このシミュレータは、本物のマイナンバーカードには書き込みません(読み取りのみ)。',
        'no-sign-certificate': 'このカードには署名用電子証明書がないため、初期化するパスワードがありません。',
        'no-other-password': `${AUTH}の予約には${SIGN}が必要ですが、このカードにはありません。`,
        'card-front-locked': 'カード券面の情報が続けて一致しなかったため、カードの読み取りがロックされました。',
        'password-locked': {
          sign: `${AUTH}がロックされているため、本人確認ができません。`,
          auth: `${SIGN}がロックされているため、本人確認ができません。`,
          unknown: 'もう一方のパスワードがロックされているため、本人確認ができません。',
        },
        'card-unavailable': 'カードを読み取れませんでした。',
        'center-unavailable': '予約センターに接続できませんでした。予約は完了していません。',
        'center-refused': '予約センターが予約を受け付けませんでした。',
      },
      nextStep: {
        'try-after': msg((p) => `${p('time')}以降に、もう一度お試しください。`),
        'try-later': 'しばらくしてから、もう一度お試しください。',
        counter: 'お住まいの市区町村の窓口へお越しください(カードと本人確認書類をお持ちください)。',
        'use-simulator-card': 'シミュレータ用のカードで操作してください。',
        'apply-at-counter': '必要な場合は、市区町村の窓口で発行を申請してください。',
        'hold-again': 'カードをかざし直して、最初からやり直してください。',
        'start-over': '最初からやり直してください。',
      },
    },
    cancelled: {
      heading: '予約を中止しました',
      body: '予約は行われていません。',
    },
  },
  /** The trainer's side of the app page. */
  appSim: {
    title: 'シミュレータ:スマホアプリ',
    hint: '利用者のスマートフォンの代わりです。選んだ仮想カードを「スマホの読み取り機」に置き、アプリの予約をカードと予約センターで実際に行います。',
    toKiosk: 'キオスクの画面へ',
    reader: msg((p) => `スマホの読み取り機: ${p('name')}`),
    unavailable: 'このシミュレータでは、スマホアプリを使えません。',
    cards: '利用者のカード',
    open: '開く',
    openNamed: msg((p) => `${p('holder')}さんのカードでアプリを開く`),
    inHand: '使用中',
    face: {
      heading: 'カードの表面(利用者の手元)',
      holder: '氏名',
    },
    faceCheck: {
      heading: '顔認証の結果(トレーナーが決めます)',
      pass: '一致',
      fail: '不一致',
      count: msg((p) => `連続失敗 ${p('failures')}回 ・ あと${p('left')}回でロック`),
      notNow: '顔認証の画面で押せます。',
    },
    close: 'アプリを閉じる(カードを離す)',
    detail: msg((p) => `トレーナー向けの詳細: ${p('detail')}`),
    problem: {
      'not-now': 'いまはその操作はできません(画面を更新しました)。',
      'no-such-card': 'そのカードは見つかりません。',
      'card-in-use': 'そのカードは使用中です(キオスクの読み取り機の上など)。先に取り出してください。',
      'reader-busy': 'スマホの読み取り機に、別のカードが置かれています。',
      'reader-unavailable': '仮想カードの読み取り機が使えません(pcscd / vpcd を確認してください)。',
      'center-unavailable': '予約センターにアプリとして接続できません。',
      failed: '操作に失敗しました。',
      unreachable: 'シミュレータに接続できません。',
    },
  },
  station: {
    paused: '講師の説明中です',
    pausedBody: '画面には触れずに、講師の説明をお聞きください。説明が終わると、続きから操作できます。',
    number: msg((p) => `端末 ${p('n')}`),
    task: '課題',
    taskHeading: msg((p) => `端末 ${p('n')} の課題`),
    close: '閉じる',
  },
  timeout: {
    remaining: msg((p) => `残り${p('seconds')}秒`),
    heading: '操作を続けますか?',
    body: msg((p) => `操作がないため、あと${p('seconds')}秒で手続きを終了します。続ける場合は「続ける」を押してください。`),
    continue: '続ける',
  },
};
