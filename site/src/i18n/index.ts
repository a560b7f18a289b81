/** The storefront's two languages: dictionaries with identical keys (de.ts's type enforces it). */
import { de } from "./de.ts";
import { en, type MessageKey } from "./en.ts";
import { interpolate, type Locale, type Messages, type Vars } from "./format.ts";

export type { MessageKey } from "./en.ts";
export type { Locale, Messages, Translate, Vars } from "./format.ts";
export { formatMoney, locales } from "./format.ts";

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, de };

/** The sentence for `key` in `locale`, with `{name}` placeholders filled in. */
export function t(locale: Locale, key: MessageKey, vars?: Vars): string {
  return interpolate(dictionaries[locale][key], vars);
}

/** A translator bound to one language, for pages. */
export const translator = (locale: Locale) => (key: MessageKey, vars?: Vars) => t(locale, key, vars);

/** The part of one dictionary an island needs, passed to it as a prop. */
export function messagesFor(locale: Locale, prefixes: string[]): Messages {
  const entries = Object.entries(dictionaries[locale]).filter(([key]) => prefixes.some((p) => key.startsWith(p)));
  return Object.fromEntries(entries) as Messages;
}

export const otherLocale = (locale: Locale): Locale => (locale === "en" ? "de" : "en");
