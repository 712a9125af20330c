/**
 * How our messages are written. The production bundle ships vue-i18n's runtime-only build without
 * its message compiler (smaller, and nothing compiled under the kiosk's CSP), so a message is either
 * a plain string, shown as is (createKioskI18n hands it over as a constant function), or a function
 * of its named parameters. `{name}` placeholders in a string would NOT be filled in: the i18n unit
 * test refuses them.
 */
import type { MessageContext } from 'vue-i18n';

/** A message with named parameters. */
export type MessageFn = (ctx: MessageContext) => string;
export type Message = string | MessageFn;

/** Named parameters of a message; numbers are formatted by the message itself. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Writes a message with named parameters: `msg((p) => \`残り${p('count')}回\`)`. */
export function msg(render: (param: (name: string) => string) => string): MessageFn {
  return (ctx) => render((name) => String(ctx.named(name)));
}

/** The shape every locale must have: the Japanese messages' keys, each leaf any Message. */
export type MessageTree<T> = { readonly [K in keyof T]: T[K] extends Message ? Message : MessageTree<T[K]> };

/** Every dotted key of a message tree that names a message (not a sub-tree). */
export type MessageKey<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends Message ? `${Prefix}${K}` : MessageKey<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
