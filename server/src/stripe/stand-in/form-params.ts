/**
 * Request parameters decoded the way Stripe decodes them: the SDK sends v1 requests form-encoded with
 * bracketed keys (`line_items[0][price_data][unit_amount]=2900`), every value a string. `qs` is what
 * the SDK's own encoder mirrors; the limits are raised so a long cart never folds into an object.
 */
import qs from "qs";

export type FormParams = Record<string, unknown>;

export function parseForm(text: string): FormParams {
  return qs.parse(text, { arrayLimit: 1000, depth: 20, parameterLimit: 10_000, allowPrototypes: false });
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
