/**
 * Reading back the fuse wire of a packaged binary (@electron/fuses), so `npm run dist` fails when
 * the package it made does not carry the fuses builder-config.ts asked for — a config typo, or an
 * electron-builder that silently skipped them, must not ship.
 */
import fuses from '@electron/fuses';
import type { BuildFlavor } from './builder-config';
import { fusesFor } from './builder-config';

const { FuseV1Options, getCurrentFuseWire } = fuses;

/**
 * A fuse's state on the wire: ASCII '0' (off), '1' (on), 'r' (removed by this Electron). The
 * package keeps these in a module its index does not export, hence spelled out here.
 */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31, REMOVED: 0x72 } as const;
const STATE_NAME: Readonly<Record<number, string>> = { 0x30: 'off', 0x31: 'on', 0x72: 'removed' };

type FuseKey = keyof ReturnType<typeof fusesFor>;

/** electron-builder's fuse names ↔ the fuse wire's indices. */
export const FUSE_INDEX: Readonly<Record<FuseKey, number>> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** Every fuse index @electron/fuses knows (a newer Electron's new fuse shows up in the test). */
export function knownFuseIndices(): number[] {
  return Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
}

export interface FuseMismatch {
  readonly fuse: FuseKey;
  readonly expected: boolean;
  /** The wire's state: FuseState's name, or 'absent'. */
  readonly actual: string;
}

/** Differences between a read fuse wire (index → FuseState) and the flavor's fuses. */
export function fuseMismatches(wire: Readonly<Record<number, number | undefined>>, flavor: BuildFlavor): FuseMismatch[] {
  const expected = fusesFor(flavor);
  const out: FuseMismatch[] = [];
  for (const [fuse, index] of Object.entries(FUSE_INDEX) as [FuseKey, number][]) {
    const state = wire[index];
    const want = expected[fuse] ? FuseState.ENABLE : FuseState.DISABLE;
    if (state !== want) out.push({ fuse, expected: expected[fuse], actual: state === undefined ? 'absent' : (STATE_NAME[state] ?? String(state)) });
  }
  return out;
}

/** Reads the packaged binary's wire and returns the mismatches (empty when all is as configured). */
export async function verifyPackagedFuses(binary: string, flavor: BuildFlavor): Promise<FuseMismatch[]> {
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number | undefined>;
  return fuseMismatches(wire, flavor);
}
