/**
 * The card's file system: applications (DFs selected by AID) holding elementary files selected by
 * a 2-byte file id, or by a short EF id (SFI) = the id's low five bits for ids up to 001E.
 *
 * Three kinds of EF, as the public command set shows them (docs/card.md §3, §6):
 * transparent data files read with READ BINARY, PIN objects used with VERIFY and friends, and
 * private keys used with COMPUTE DIGITAL SIGNATURE. A record file serves the 住基AP's READ RECORD.
 */
import type { PinId } from './pin';

export type AppId = 'jpki' | 'text' | 'visual' | 'juki' | 'simulator';

/** Who may read a data file: anyone, or whoever verified one of the listed PINs in this AP. */
export type ReadAccess = { readonly kind: 'always' } | { readonly kind: 'after-pin'; readonly anyOf: readonly PinId[] };

export const ALWAYS: ReadAccess = { kind: 'always' };
export const afterPin = (...anyOf: PinId[]): ReadAccess => ({ kind: 'after-pin', anyOf });

export type KeyId = 'auth' | 'sign';

export type ElementaryFile =
  | { readonly kind: 'binary'; readonly fid: number; readonly read: ReadAccess; readonly data: Buffer }
  | { readonly kind: 'records'; readonly fid: number; readonly read: ReadAccess; readonly records: readonly Buffer[] }
  | { readonly kind: 'pin'; readonly fid: number; readonly pin: PinId }
  | { readonly kind: 'key'; readonly fid: number; readonly key: KeyId; readonly pin: PinId };

export interface Application {
  readonly id: AppId;
  readonly aid: Buffer;
  readonly files: ReadonlyMap<number, ElementaryFile>;
}

export function application(id: AppId, aid: Buffer, files: readonly ElementaryFile[]): Application {
  return { id, aid, files: new Map(files.map((f) => [f.fid, f])) };
}

/** The EF a short EF id names (1–30), if any. */
export function fileBySfi(app: Application, sfi: number): ElementaryFile | undefined {
  if (sfi < 1 || sfi > 30) return undefined;
  return app.files.get(sfi);
}

export function mayRead(access: ReadAccess, verified: ReadonlySet<PinId>): boolean {
  return access.kind === 'always' || access.anyOf.some((p) => verified.has(p));
}
