/**
 * Language helpers with no dictionary attached, so islands ship only the sentences they are given
 * (as props) and not both dictionaries.
 */
import type { MessageKey } from "./en.ts";

export const locales = ["en", "de"] as const;
export type Locale = (typeof locales)[number];

export type Messages = Partial<Record<MessageKey, string>>;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function interpolate(text: string, vars: Vars = {}): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

/** A translator over a subset of one dictionary; a missing key falls back to the generic sentence. */
export function translatorFrom(messages: Messages): Translate {
  return (key, vars) => interpolate(messages[key] ?? messages["error.generic"] ?? "…", vars);
}

const numberLocale: Record<Locale, string> = { en: "en-IE", de: "de-DE" };
const formatters = new Map<string, Intl.NumberFormat>();

/** Integer minor units (cents) as money in the shopper's language: 2900 → "€29.00" / "29,00 €". */
export function formatMoney(locale: Locale, minor: number, currency = "eur"): string {
  const id = `${locale}:${currency}`;
  let format = formatters.get(id);
  if (!format) {
    format = new Intl.NumberFormat(numberLocale[locale], { style: "currency", currency: currency.toUpperCase() });
    formatters.set(id, format);
  }
  return format.format(minor / 100);
}
