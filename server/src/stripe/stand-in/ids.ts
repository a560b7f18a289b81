/** Identifiers shaped like Stripe's test-mode ones (`cs_test_…`), random enough never to collide in a run. */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Letters and digits only, as in Stripe's ids, so they survive URLs and form fields unescaped. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let token = "";
  // 62 does not divide 256, so the first characters are a hair likelier; harmless for test ids.
  for (const byte of bytes) token += ALPHABET[byte % ALPHABET.length];
  return token;
}

export const newId = (prefix: string, length = 24): string => `${prefix}_${randomToken(length)}`;
