/**
 * English: a complete translation of our Japanese wording (ja.ts is the reference; this file must
 * have exactly its keys — the type below and the i18n unit test both check that).
 */
import { CHAINS, type ChainId } from '@domain/chains';
import { PASSWORD_RULES } from '@domain/passwords';
import type { ja } from './ja';
import { msg, type MessageTree } from './message';

const SIGN = PASSWORD_RULES.sign.labelEn; // Signature certificate password
const AUTH = PASSWORD_RULES.auth.labelEn; // User authentication PIN

const chainNames = Object.fromEntries(Object.values(CHAINS).map((c) => [c.id, c.nameEn])) as Record<ChainId, string>;

export const en: MessageTree<typeof ja> = {
  app: {
    name: 'Multicopier',
    connecting: 'Getting ready. Please wait.',
    unavailableTitle: 'This terminal is not available at the moment',
    unavailableBody: 'Please ask a member of staff.',
    sendFailed: 'The terminal could not be reached. Please touch again.',
  },
  common: {
    switchLanguage: '日本語',
    cancel: 'Cancel',
    back: 'Back',
    next: 'Next',
    ok: 'OK',
    agree: 'I agree',
  },
  journey: {
    label: 'Steps',
    notice: 'Notice',
    card: 'Card',
    verify: 'Identity check',
    'new-password': 'New password',
    done: 'Done',
    current: '(current step)',
  },
  services: {
    copy: 'Copy',
    print: 'Print',
    photo: 'Photo print',
    scan: 'Scan',
    fax: 'Fax',
    admin: 'Government services',
  },
  top: {
    heading: 'Please choose a service',
    note: 'In this simulator only “Government services” can be used.',
  },
  adminMenu: {
    title: 'Government services',
    heading: 'Please choose a service',
    items: {
      certificates: { label: 'Certificates', detail: 'Copy of residence record, seal registration, …' },
      'my-number-card': { label: 'My Number Card', detail: 'Reset a certificate password' },
    },
    disabled: 'Not available in this simulator',
  },
  cardMenu: {
    title: 'My Number Card',
    heading: 'Please choose what to do',
    options: {
      'reset-sign': { label: `Reset the ${SIGN.toLowerCase()}`, detail: `6–16 capital letters and digits · needs your ${AUTH} (4 digits)` },
      'reset-auth': { label: `Reset the ${AUTH}`, detail: `4 digits · needs your ${SIGN.toLowerCase()}` },
      'reset-juki': { label: PASSWORD_RULES.juki.labelEn, detail: 'Can only be reset at the municipal office' },
      'reset-text': { label: PASSWORD_RULES.text.labelEn, detail: 'Can only be reset at the municipal office' },
    },
    otherPins: 'Other PINs',
    notOffered: 'Not offered at this store',
  },
  passwords: {
    name: { sign: SIGN, auth: AUTH },
    format: { sign: '6–16 capital letters and digits', auth: '4 digits' },
  },
  notice: {
    title: 'Notice',
    heading: 'Before you start, please read the following',
    reservation:
      'You need a reservation made beforehand in the smartphone app “JPKI暗証番号リセット” (JPKI PIN reset). Please use it within 24 hours of completing the reservation.',
    needs: {
      sign: `You need your My Number Card and your ${AUTH} (4 digits).`,
      auth: `You need your My Number Card and your ${SIGN.toLowerCase()} (6–16 capital letters and digits).`,
    },
    what: {
      sign: `After you enter a new password twice, the ${SIGN.toLowerCase()} on your card is replaced.`,
      auth: `After you enter a new PIN twice, the ${AUTH} on your card is replaced.`,
    },
    keepCard: 'Please leave the card on the reader until the procedure is finished.',
    lock: 'A PIN or password entered wrongly too many times in a row is locked, and this terminal can then no longer help.',
    prompt: 'If you agree, please press “I agree”.',
  },
  placeCard: {
    heading: 'Please place your card',
    body: 'Please place your My Number Card on the card reader.',
    keep: 'Do not remove it until the procedure is finished.',
    reader: {
      unavailable: 'The card reader cannot be used. Please ask a member of staff.',
      'no-reader': 'No card reader was found. Please ask a member of staff.',
      empty: 'Waiting for a card',
      'card-present': 'Card detected',
    },
    readerName: msg((p) => `Reader: ${p('name')}`),
  },
  progress: {
    step: {
      'reading-card': 'Reading your card',
      'checking-reservation': 'Checking your reservation',
      'verifying-password': 'Checking what you entered',
      authorizing: 'Getting approval for the reset',
      'writing-card': 'Writing the new password to your card',
      confirming: 'Recording the completed reset',
    },
    wait: 'Please wait',
    keepCard: 'Please leave the card on the reader',
    doNotRemove: 'Processing. Do not remove your card',
  },
  otherPassword: {
    heading: { sign: `Please enter your ${SIGN.toLowerCase()}`, auth: `Please enter your ${AUTH}` },
    why: {
      sign: `To confirm it is you, please enter your ${AUTH} (4 digits). It may differ from your resident registry PIN and your card-text input PIN.`,
      auth: `To confirm it is you, please enter your ${SIGN.toLowerCase()} (6–16 capital letters and digits).`,
    },
    triesLeft: msg((p) => `Tries left: ${p('count')}`),
    lock: msg(
      (p) =>
        `After ${p('count')} more wrong ${p('count') === '1' ? 'try' : 'tries'} it is locked. A locked password cannot be handled at this terminal (the municipal office must reset it).`,
    ),
    wrong: { sign: 'The password is not correct.', auth: 'The PIN is not correct.' },
    dontKnow: 'I do not know it',
  },
  newPassword: {
    heading: { sign: `Please enter a new ${SIGN.toLowerCase()}`, auth: `Please enter a new ${AUTH}` },
    confirmHeading: 'Please enter it once more to confirm',
    confirmBody: 'Enter the same as the first time.',
    mismatch: 'The two entries did not match. Please start again from the first entry.',
    rules: {
      length: msg((p) => `${p('min')}–${p('max')} characters`),
      exact: msg((p) => `${p('count')} digits`),
      letter: 'At least one capital letter (A–Z)',
      digit: 'At least one digit (0–9)',
      met: '(met)',
      unmet: '(not met yet)',
    },
    keepSecret: 'Avoid anything others could guess, such as your date of birth.',
  },
  entry: {
    field: {
      sign: 'Password field',
      auth: 'PIN field',
    },
    count: msg((p) => `${p('length')}/${p('max')}`),
    show: 'Show',
    hide: 'Hide',
    delete: 'Delete',
    clear: 'Clear',
    submit: 'Enter',
    keypad: 'Number keys',
    keyboard: 'Letter and number keys',
    ready: 'Ready to enter',
    problem: {
      empty: 'Please enter it',
      'too-short': msg((p) => `Please enter at least ${p('min')} characters`),
      'too-long': msg((p) => `Please enter at most ${p('max')} characters`),
      exact: msg((p) => `Please enter ${p('count')} digits`),
      'digits-only-allowed': 'Only digits can be entered',
      'invalid-character': 'Only capital letters (A–Z) and digits (0–9) can be entered',
      'needs-letter': 'Please include at least one capital letter (A–Z)',
      'needs-digit': 'Please include at least one digit (0–9)',
    },
  },
  done: {
    heading: 'The procedure is complete',
    body: { sign: `Your ${SIGN.toLowerCase()} has been changed to the new password.`, auth: `Your ${AUTH} has been changed to the new PIN.` },
    keepSecret: 'Please keep your new password safe and do not share it with anyone.',
  },
  takeCard: {
    heading: 'Please take your card',
    after: {
      completed: 'Please make sure you have not left anything behind.',
      refused: 'Nothing was done.',
      cancelled: 'The procedure was cancelled. Your card was not changed.',
      'timed-out': 'The procedure ended because there was no activity for a while.',
    },
    back: 'Once you take the card, the first screen appears again.',
    removed: 'The card has been taken.',
  },
  guidance: {
    title: 'Information',
    next: 'What to do next',
    reason: {
      'outside-hours': {
        title: 'This procedure is not available at this time',
        body: 'It is available every day from 6:30 to 23:00.',
      },
      maintenance: {
        title: 'Not available: maintenance in progress',
        body: 'The system is being maintained.',
      },
      'no-reservation': {
        title: 'No reservation was found for this card',
        body: 'This procedure needs a reservation made beforehand in the smartphone app “JPKI暗証番号リセット” (JPKI PIN reset).',
      },
      'reservation-expired': {
        title: 'The reservation has expired',
        body: 'A reservation is valid for 24 hours after it is completed.',
      },
      'reservation-used': {
        title: 'This reservation has already been used',
        body: 'One reservation allows one reset.',
      },
      'app-locked': {
        title: 'The app can no longer be used with this card',
        body: 'After repeated failed face checks, reservations in the app were blocked for your safety.',
      },
      'chain-does-not-offer': {
        title: 'This store does not offer this procedure',
        body: `Resetting the ${AUTH} is offered only at some stores.`,
      },
      'other-password-locked': {
        title: 'The password used to confirm your identity is locked',
        body: 'A locked PIN or password cannot be unlocked at this terminal.',
      },
      'both-passwords-locked': {
        title: `Both your ${SIGN.toLowerCase()} and your ${AUTH} are locked`,
        body: 'This terminal cannot help.',
      },
      'both-passwords-unknown': {
        title: 'Your identity cannot be confirmed, so this terminal cannot help',
        body: `If you know neither your ${SIGN.toLowerCase()} nor your ${AUTH}, the procedure is done at the office.`,
      },
      'no-signature-certificate': {
        title: 'This card has no signature certificate',
        body: 'No signature certificate was issued (for example, to people under 15), so there is no password to reset.',
      },
      'certificate-revoked': {
        title: 'The certificate has been revoked',
        body: 'The certificate lapsed after a change such as a move or a new name; resetting its password will not make it usable again.',
      },
      'certificate-expired': {
        title: 'The certificate has expired',
        body: 'The password of an expired certificate cannot be reset at this terminal.',
      },
      'card-expired': {
        title: 'The card has expired',
        body: 'An expired card cannot be used at this terminal.',
      },
      'not-my-number-card': {
        title: 'No My Number Card was recognised',
        body: 'The card placed on the reader does not seem to be a My Number Card.',
      },
      'real-card': {
        title: 'This card cannot be used with this simulator',
        body: 'The simulator never changes a real card.',
      },
      'counter-only-pin': {
        title: 'This PIN cannot be reset at this terminal',
        body: 'The resident registry PIN and the card-text input PIN are reset at the municipal office.',
      },
      'card-removed': {
        title: 'The card was removed',
        body: 'The card left the reader during the procedure.',
      },
      'reader-unavailable': {
        title: 'The card reader cannot be used',
        body: 'Cards cannot be read at the moment.',
      },
      'center-unavailable': {
        title: 'This procedure is temporarily unavailable',
        body: 'The reservation system could not be reached.',
      },
      'card-error': {
        title: 'The card could not be read or written correctly',
        body: 'A problem occurred while reading or writing the card.',
      },
      'reset-already-done': {
        title: 'Your password was already changed in your earlier try',
        body: 'The card was removed during that try, but the new password had been set on it. The reservation was used by that try.',
      },
    },
    noSignatureForAuth: `Resetting the ${AUTH} needs your ${SIGN.toLowerCase()} to confirm your identity, but this card has no signature certificate.`,
    lockedOther: {
      sign: `Your ${AUTH} is locked.`,
      auth: `Your ${SIGN.toLowerCase()} is locked.`,
    },
    changed: {
      nothing: 'Your card was not changed.',
      'not-written': 'Your card was not changed. The reservation was not used, so you can try again.',
      'reset-completed': 'The password change was completed. Please use your new password.',
      unknown:
        'The card was removed while it was being written, so it is not yet known whether the password was changed. Place the card again and start over: the kiosk reads the card’s record and tells you. If it was not changed, your reservation can still be used.',
    },
    nextStep: {
      'come-back-when-open': msg((p) => `Please come back from ${p('time')}.`),
      'come-back-when-open-default': 'Please come back from 6:30.',
      'book-in-app': 'Please make a reservation in the smartphone app “JPKI暗証番号リセット”, then come back within 24 hours.',
      'other-store-or-counter': 'Please use a multicopier at one of these stores, or your municipal office.',
      'municipal-counter': 'Please ask at your municipal office.',
      'municipal-counter-with-id': 'Please go to your municipal office with your My Number Card and a photo ID (such as a driving licence).',
      'municipal-counter-reissue': 'Please have the certificate issued again at your municipal office.',
      'nothing-to-do': 'There is nothing to do.',
      'use-simulator-card': 'Please place a simulator card and start again.',
      'start-again': 'Please place your card and start again.',
      'try-later-or-ask-staff': 'Please try again later, or ask a member of staff.',
    },
  },
  chains: chainNames,
  trainer: {
    tab: 'Card tray',
    title: 'Simulator: card tray',
    hint: 'Stands in for the citizen’s hand: puts a virtual card on the reader or takes it off.',
    place: 'Place',
    placeNamed: msg((p) => `Place ${p('holder')}’s card`),
    onReader: 'On the reader',
    remove: 'Take the card off',
    close: 'Close',
    refresh: 'Refresh list',
    loading: 'Loading…',
    empty: 'There are no virtual cards.',
    unavailable: 'The virtual card reader cannot be used (check pcscd / vpcd).',
    problem: {
      'no-such-card': 'That card was not found.',
      'reader-unavailable': 'The virtual card reader cannot be used.',
      failed: 'Placing or taking off the card failed.',
    },
    views: {
      label: 'Trainer tools',
      cards: 'Cards',
      settings: 'Settings',
      app: 'Phone app',
    },
  },
  settings: {
    title: 'Simulator: kiosk settings',
    hint: 'Settings for the trainer. Changes reach the kiosk directly.',
    loadFailed: 'The settings could not be loaded.',
    saved: msg((p) => `Changed (${p('effect')}).`),
    effect: {
      now: 'takes effect at once',
      'next-countdown': 'from the next screen or touch',
      'next-session': 'from the next citizen (at once if nobody is using it)',
      'next-start': 'from the next start',
    },
    problem: {
      'warning-longer-than-inactivity': '“Show the time left” must be shorter than “Waiting for input”.',
      'maintenance-window-empty': 'A maintenance window must end after it starts.',
      'center-url-invalid': 'The reservation center URL is not valid.',
      'center-unavailable': 'The reservation center could not be changed.',
      failed: 'Not changed (the simulator cannot be reached).',
    },
    chain: {
      heading: 'Store chain',
      offers: { both: 'signature and authentication', sign: 'signature only' },
    },
    clock: {
      heading: 'Clock (simulated)',
      now: msg((p) => `Kiosk time: ${p('time')}`),
      mode: {
        system: 'real time',
        offset: msg((p) => `shifted (${p('offset')}, running)`),
        fixed: 'frozen',
      },
      center: msg((p) => `Reservation center time: ${p('time')} (${p('offset')})`),
      centerUnavailable: 'The reservation center’s clock cannot be changed from this simulator.',
      preset: {
        'before-closing': 'Today 22:59',
        'before-opening': 'Today 06:29',
        'plus-day': '24 hours later',
        real: 'Back to real time',
      },
      presetHint: {
        'before-closing': 'the 23:00 cut-off in a minute',
        'before-opening': 'opening at 06:30 in a minute',
        'plus-day': 'reservations expire (center too)',
        real: 'kiosk and reservation center',
      },
      custom: 'Date and time (Japan time)',
      run: 'Run from this time',
      freeze: 'Freeze at this time',
      invalid: 'Please enter a valid date and time.',
    },
    timeouts: {
      heading: 'Timeouts',
      inactivity: 'Waiting for input (s)',
      warning: 'Show the time left (s)',
      takeCard: 'Waiting for the card to be taken (s)',
      save: 'Save timeouts',
    },
    language: {
      heading: 'First language shown',
    },
    maintenance: {
      heading: 'Maintenance windows',
      hint: 'The kiosk does not accept the procedure during these windows (Japan time).',
      none: 'None set.',
      window: msg((p) => `${p('from')} – ${p('until')}`),
      from: 'From',
      until: 'Until',
      note: 'Note',
      nextHour: 'Next hour',
      add: 'Add',
      remove: 'Remove',
      alsoCenter: 'Also put the reservation center (app bookings) in maintenance',
      centerHeading: 'Reservation center maintenance windows:',
    },
    startup: {
      heading: 'Read at start',
      reader: msg((p) => `Reader: ${p('name')}`),
      readerAuto: 'Reader: automatic (the one with a card)',
      center: msg((p) => `Reservation center: ${p('url')}`),
      centerEmbedded: 'Reservation center: built into the simulator',
      hint: 'Change them in settings.json and start the simulator again.',
    },
  },
  phone: {
    appName: 'JPKI PIN Reset',
    appNote: 'The simulator’s phone app (not the real app)',
    busy: 'Working…',
    cancel: 'Cancel',
    next: 'Next',
    restart: 'Back to the start',
    idle: {
      heading: 'Book a password reset',
      body: 'Choose a card under “Citizen’s cards” on the left to start the app.',
    },
    consent: {
      heading: 'Terms',
      body: 'Within 24 hours of completing this reservation you can reset the password at a participating store’s multicopier.',
      steps: 'Booking reads the card front, asks for the other password (a wrong one costs a try), and for the signature password a face check.',
      agree: 'I agree',
      disagree: 'I do not agree',
    },
    kind: {
      heading: 'Which password do you want to reset?',
      needs: {
        sign: `You prove who you are with the ${AUTH} (4 digits) and a face check.`,
        auth: `You prove who you are with the ${SIGN} (6–16 upper-case letters and digits).`,
      },
    },
    front: {
      heading: 'Read the front of the card',
      body: 'Photographing the card front reads the birth date, expiry date and security code. Check what was read and press “Next”.',
      photo: 'Photograph the card',
      birthDate: 'Date of birth',
      cardExpiry: 'Card expiry date',
      securityCode: 'Security code (4 digits)',
      problem: {
        'birth-date': 'Please enter a valid date of birth.',
        'card-expiry': 'Please enter a valid card expiry date.',
        'security-code': 'The security code is 4 digits.',
      },
      mismatch: msg((p) => `This does not match the card. ${p('count')} more wrong tries lock reading the card.`),
    },
    password: {
      heading: {
        sign: `Enter the ${SIGN}`,
        auth: `Enter the ${AUTH}`,
      },
      which: {
        sign: `You are entering the “${SIGN}” (6–16 upper-case letters and digits).`,
        auth: `You are entering the “${AUTH}” (4 digits). It may differ from the resident registry and card-text input PINs.`,
      },
      hold: 'Keep the card held to the phone while you enter it.',
      triesLeft: msg((p) => `${p('count')} tries left`),
      lock: msg((p) => `${p('count')} more wrong tries lock it; then only the municipal office can help.`),
      wrong: { sign: 'The password is not correct.', auth: 'The PIN is not correct.' },
    },
    face: {
      heading: 'Face check',
      body: 'Look into the phone’s camera. Your face is compared with the photo on the card.',
      waiting: 'Comparing… (the trainer decides the result)',
      failed: msg((p) => `Your face did not match. ${p('count')} more failures in a row lock the app for this card for your safety.`),
    },
    booked: {
      heading: 'Reservation completed',
      kind: { sign: `Reset of the ${SIGN}`, auth: `Reset of the ${AUTH}` },
      until: msg((p) => `Complete it at a participating store’s multicopier by ${p('time')} (valid 24 hours).`),
      replaced: 'This reservation replaces the card’s earlier one.',
      bookingId: msg((p) => `Reservation number: ${p('id')}`),
    },
    refused: {
      heading: 'The reservation could not be made',
      next: 'What to do next',
      reason: {
        maintenance: 'Reservations are not possible during maintenance.',
        'app-locked': 'After 5 failed face checks in a row, the app is locked for this card for your safety.',
        'real-card': 'This simulator never writes to a real My Number card (it only reads it).',
        'no-sign-certificate': 'This card has no signature certificate, so there is no password to reset.',
        'no-other-password': `Booking a reset of the ${AUTH} needs the ${SIGN}, which this card does not have.`,
        'card-front-locked': 'The card-front data did not match too many times; reading the card is locked.',
        'password-locked': {
          sign: `The ${AUTH} is locked, so you cannot be verified.`,
          auth: `The ${SIGN} is locked, so you cannot be verified.`,
          unknown: 'The other password is locked, so you cannot be verified.',
        },
        'card-unavailable': 'The card could not be read.',
        'center-unavailable': 'The reservation center could not be reached. No reservation was made.',
        'center-refused': 'The reservation center did not accept the reservation.',
      },
      nextStep: {
        'try-after': msg((p) => `Please try again after ${p('time')}.`),
        'try-later': 'Please try again later.',
        counter: 'Please go to your municipal office (bring the card and a photo ID).',
        'use-simulator-card': 'Please use a simulator card.',
        'apply-at-counter': 'If you need one, apply at your municipal office.',
        'hold-again': 'Hold the card to the phone again and start over.',
        'start-over': 'Please start over.',
      },
    },
    cancelled: {
      heading: 'Reservation cancelled',
      body: 'No reservation was made.',
    },
  },
  appSim: {
    title: 'Simulator: phone app',
    hint: 'Stands in for the citizen’s smartphone: the chosen virtual card goes on the “phone’s reader” and the app really books with the card and the reservation center.',
    toKiosk: 'To the kiosk screen',
    reader: msg((p) => `Phone’s reader: ${p('name')}`),
    unavailable: 'The phone app is not available in this simulator.',
    cards: 'Citizen’s cards',
    open: 'Open',
    openNamed: msg((p) => `Open the app with ${p('holder')}’s card`),
    inHand: 'In use',
    face: {
      heading: 'Card front (in the citizen’s hand)',
      holder: 'Name',
    },
    faceCheck: {
      heading: 'Face check result (the trainer decides)',
      pass: 'Match',
      fail: 'No match',
      count: msg((p) => `${p('failures')} failures in a row · locks after ${p('left')} more`),
      notNow: 'Available on the face check screen.',
    },
    close: 'Close the app (take the card away)',
    detail: msg((p) => `Detail for trainers: ${p('detail')}`),
    problem: {
      'not-now': 'That is not possible right now (the screen was refreshed).',
      'no-such-card': 'That card was not found.',
      'card-in-use': 'That card is in use (on the kiosk’s reader, for example). Take it off first.',
      'reader-busy': 'Another card is on the phone’s reader.',
      'reader-unavailable': 'The virtual card reader cannot be used (check pcscd / vpcd).',
      'center-unavailable': 'The reservation center cannot be reached as the app.',
      failed: 'That did not work.',
      unreachable: 'The simulator cannot be reached.',
    },
  },
  station: {
    paused: 'The trainer is explaining',
    pausedBody: 'Please leave the screen and listen to the trainer. You can carry on where you were when they are done.',
    number: msg((p) => `Station ${p('n')}`),
    task: 'Task',
    taskHeading: msg((p) => `Task for station ${p('n')}`),
    close: 'Close',
  },
  timeout: {
    remaining: msg((p) => `${p('seconds')} s left`),
    heading: 'Do you want to continue?',
    body: msg((p) => `There has been no activity: the procedure ends in ${p('seconds')} seconds. To carry on, press “Continue”.`),
    continue: 'Continue',
  },
};
