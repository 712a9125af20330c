import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import boundaries in .config/eslint.config.js (importBoundaries): for each rule, a forbidden
// import must fail the lint with that rule's message, and the allowed neighbour must pass. The
// texts are linted as if they were the given file; no file is written.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, '.config/eslint.config.js') });
});

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  expect(result, `${filePath} is linted`).toBeDefined();
  const messages = result!.messages;
  // A parse error would hide every rule: fail loudly instead.
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId) && m.severity === 2).map((m) => m.message);
}

interface Case {
  readonly file: string;
  readonly code: string;
  /** A phrase of the rule's message; absent: the import is allowed. */
  readonly fails?: string;
}

const NATIVE_UP = 'native/ is below the app';
const NATIVE_ALIAS = 'native/ may not import electron/ (the @contract and @domain aliases';
const SHARED_TO_CARD = 'may not import the simulator card (native/card)';
const JPKI_TO_CARD = 'The production JPKI client may not import the simulator card';
const SHELL_ONLY = 'Only electron/main and electron/preload may import electron';
const RENDERER_INTO_CORE = 'The renderer imports the core only through @contract';
const ALIAS_ESCAPE = 'No `..` after @contract/ or @domain/';

const CASES: readonly Case[] = [
  // native/ never imports electron/ or renderer/, whatever the form of the import.
  { file: 'native/card/issue.ts', code: `import { isValidPassword } from '../../electron/domain/passwords';\nisValidPassword('sign', 'A1');\n`, fails: NATIVE_UP },
  { file: 'native/card/pin.ts', code: `import type { ResetKind } from '../../electron/domain/passwords';\nexport const k: ResetKind = 'sign';\n`, fails: NATIVE_UP },
  { file: 'native/jpki/reset-mac.ts', code: `export type { ResetKind } from '../../electron/domain/passwords';\n`, fails: NATIVE_UP },
  { file: 'native/vpcd/slot-daemon.ts', code: `export const m = import('../../electron/kiosk/flow');\n`, fails: NATIVE_UP },
  { file: 'native/card/card-report.ts', code: `export * from '../../renderer/src/i18n/ja';\n`, fails: NATIVE_UP },
  { file: 'native/card/card-state.ts', code: `export type { ResetKind } from '@domain/passwords';\n`, fails: NATIVE_ALIAS },
  { file: 'native/pcsc/reader-service.ts', code: `export { app } from 'electron';\n`, fails: SHELL_ONLY },
  { file: 'native/card/pin.ts', code: `export type { ResetKind } from '../jpki/passwords';\n` },
  { file: 'native/card/juki-ap.ts', code: `export { tlv } from '../apdu/tlv';\n` },

  // What the kiosk shares with the card (native/jpki, native/apdu) does not import the card.
  { file: 'native/jpki/simulator-marker.ts', code: `export { PIN_IDS } from '../card/pin';\n`, fails: SHARED_TO_CARD },
  { file: 'native/apdu/tlv.ts', code: `export const m = import('../card/pin');\n`, fails: SHARED_TO_CARD },
  { file: 'native/jpki/reset-receipt.ts', code: `export { RESET_PIN_REF } from './constants';\n` },

  // The production JPKI client does not import the simulator card.
  { file: 'electron/jpki/text-ap-data.ts', code: `export { parseTlvs } from '../../native/card/tlv';\n`, fails: JPKI_TO_CARD },
  { file: 'electron/jpki/jpki-client.ts', code: `export type { SimulatorInfo } from '../../native/card/simulator-ap';\n`, fails: JPKI_TO_CARD },
  { file: 'electron/jpki/jpki-client.ts', code: `export const m = import('../../native/card/my-number-card');\n`, fails: JPKI_TO_CARD },
  { file: 'electron/jpki/jpki-client.ts', code: `export { app } from 'electron';\n`, fails: SHELL_ONLY },
  { file: 'electron/jpki/jpki-client.ts', code: `export { SIMULATOR_AID } from '../../native/jpki/simulator-marker';\nexport { parseTlvs } from '../../native/apdu/tlv';\n` },
  // The simulator's own host may use the card.
  { file: 'electron/host/virtual-cards.ts', code: `export { createCard } from '../../native/card/issue';\n` },

  // Only the thin shell imports electron.
  { file: 'electron/kiosk/session.ts', code: `export { app } from 'electron';\n`, fails: SHELL_ONLY },
  { file: 'electron/center/main.ts', code: `export const e = import('electron');\n`, fails: SHELL_ONLY },
  { file: 'electron/main/index.ts', code: `export { app } from 'electron';\n` },
  { file: 'electron/preload/index.ts', code: `export { contextBridge } from 'electron';\n` },

  // The renderer reaches the core through @contract and @domain only.
  { file: 'renderer/src/stores/snapshot.ts', code: `export type { Snapshot } from '../../../electron/contract/kiosk';\n`, fails: RENDERER_INTO_CORE },
  { file: 'renderer/src/i18n/ja.ts', code: `export { PASSWORD_RULES } from '../../../electron/domain/passwords';\n`, fails: RENDERER_INTO_CORE },
  { file: 'renderer/src/i18n/en.ts', code: `export { PASSWORD_RULES } from '../../../native/jpki/passwords';\n`, fails: RENDERER_INTO_CORE },
  { file: 'renderer/src/api/kiosk.ts', code: `export type { Snapshot } from '@contract/../contract/kiosk';\n`, fails: ALIAS_ESCAPE },
  { file: 'renderer/src/api/kiosk.ts', code: `export { ipcRenderer } from 'electron';\n`, fails: SHELL_ONLY },
  {
    file: 'renderer/src/screens/TopScreen.vue',
    code: `<script setup lang="ts">\nimport type { ScreenOf } from '../../../electron/contract/kiosk';\ndefineProps<{ screen: ScreenOf<'top'> }>();\n</script>\n<template><div /></template>\n`,
    fails: RENDERER_INTO_CORE,
  },
  { file: 'renderer/src/api/kiosk.ts', code: `export type { KioskApi } from '@contract/api';\nexport { PASSWORD_RULES } from '@domain/passwords';\n` },
  {
    file: 'renderer/src/screens/TopScreen.vue',
    code: `<script setup lang="ts">\nimport type { ScreenOf } from '@contract/kiosk';\ndefineProps<{ screen: ScreenOf<'top'> }>();\n</script>\n<template><div /></template>\n`,
  },
];

describe('import boundaries (.config/eslint.config.js)', () => {
  it.each(CASES)('$file: $code', async ({ file, code, fails }) => {
    const errors = await boundaryErrors(file, code);
    if (fails === undefined) expect(errors).toEqual([]);
    else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(fails);
    }
  });
});
