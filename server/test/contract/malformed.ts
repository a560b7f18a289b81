/**
 * Malformed requests generated from each endpoint's schemas (fast-check): any JSON, a valid body with
 * one part broken, bodies that are not JSON, random query strings, random `x-shop-id` values. Each
 * input says whether the schemas reject it, so a test can tell "must be a 4xx" from "may be a 2xx".
 */
import { type Endpoint, type Example, placeholders } from "@commerce/contracts/v1/registry";
import fc from "fast-check";
import * as z from "zod/mini";
import { describeRequest, exampleRequest, type HttpRequest, withQuery } from "./generate.ts";

export interface MalformedInput {
  request: HttpRequest;
  /** The schemas reject it, so only a 4xx is right; otherwise a 2xx may be right too. */
  mustFail: boolean;
}

export interface MalformedProperty {
  endpoint: Endpoint;
  /** Which input it breaks. */
  part: "body" | "query" | "shop";
  title: string;
  inputs: fc.Arbitrary<MalformedInput>;
  /** Inputs tried on every run before the random ones, so the known sharp edges are never missed. */
  examples: MalformedInput[];
}

/**
 * Per endpoint with a body, a query or a shop: generators of requests that break one thing. Each
 * starts from the endpoint's first success example that stands on its own (no fixture, no steps
 * before it, no placeholder in its body), so only the broken part differs. A signed (webhook)
 * endpoint's inputs are sent unsigned or badly signed, and must all be refused.
 */
export function malformedProperties(endpoints: readonly Endpoint[]): MalformedProperty[] {
  const successesOf = (endpoint: Endpoint) => endpoint.examples.filter((x) => x.status < 300 && standsAlone(x));
  const knownShops = new Set(endpoints.flatMap((e) => successesOf(e).flatMap((x) => x.headers?.["x-shop-id"] ?? [])));
  return endpoints.flatMap((endpoint) => {
    const successes = successesOf(endpoint);
    const base = successes.find((x) => x.headers?.["x-shop-id"] !== undefined) ?? successes[0];
    if (!base) return [];
    const request = exampleRequest(endpoint, base);
    // A signed endpoint (a Stripe webhook) is fuzzed without a valid signature: see `badlySigned`.
    const signed = request.signWith !== undefined;
    const property = (
      part: MalformedProperty["part"],
      what: string,
      inputs: fc.Arbitrary<MalformedInput>,
      examples: MalformedInput[] = [],
    ): MalformedProperty => ({
      endpoint,
      part,
      title: `${endpoint.method} ${endpoint.path}: ${what}`,
      inputs: (signed ? unsigned(inputs) : inputs).map(printable),
      examples: (signed ? examples.map((x, i) => badlySigned(x, i % 2 === 0 ? "none" : "wrong")) : examples).map(
        printable,
      ),
    });
    const properties: MalformedProperty[] = [];
    const { body: bodySchema, query: querySchema } = endpoint;
    if (bodySchema) {
      const seeds = successes.flatMap((x) => (isRecord(x.body) ? [x.body] : []));
      const field = Object.keys(seeds[0] ?? {})[0];
      properties.push(
        property("body", "any JSON value as the body, however deep", anyJsonBody(request, bodySchema, field)),
      );
      if (seeds.length > 0) {
        properties.push(
          property(
            "body",
            "a valid body with one part broken",
            brokenBody(request, bodySchema, seeds),
            sharpEdits(request, bodySchema, seeds),
          ),
        );
      }
      properties.push(property("body", "a body that is not JSON", notJsonBody(request, bodySchema)));
    }
    if (querySchema) properties.push(property("query", "random query strings", randomQuery(request, querySchema)));
    if (endpoint.shopScoped)
      properties.push(property("shop", "random x-shop-id values", randomShopHeader(request, knownShops)));
    return properties;
  });
}

/**
 * An example whose request means the same whenever it is sent. Steps before an example are not
 * repeated here; and a body placeholder would be judged by the schemas as the literal `"$newCart"`
 * yet sent as a real cart id (path placeholders are fine: no schema judges them).
 */
function standsAlone(example: Example): boolean {
  const body = JSON.stringify(example.body ?? null);
  return (
    example.fixture === undefined &&
    example.before === undefined &&
    example.paidIntent !== true &&
    !placeholders.some((placeholder) => body.includes(JSON.stringify(placeholder)))
  );
}

type Schema = z.ZodMiniType;

/**
 * A webhook's malformed input arrives unsigned or signed with a wrong secret, whatever its body: the
 * signature is checked over the raw body before anything else is read, so every one must be refused
 * (400 INVALID_SIGNATURE, or 413 for a body too large), never processed and never a 5xx.
 */
function badlySigned(input: MalformedInput, signWith: "none" | "wrong"): MalformedInput {
  return { request: { ...input.request, signWith }, mustFail: true };
}

function unsigned(inputs: fc.Arbitrary<MalformedInput>): fc.Arbitrary<MalformedInput> {
  return fc
    .tuple(inputs, fc.constantFrom<"none" | "wrong">("none", "wrong"))
    .map(([input, signWith]) => badlySigned(input, signWith));
}

function jsonRequest(base: HttpRequest, body: unknown, text = JSON.stringify(body)): HttpRequest {
  return { ...base, headers: { ...base.headers, "content-type": "application/json" }, body: text };
}

function acceptsText(schema: Schema, text: string): boolean {
  try {
    return z.safeParse(schema, JSON.parse(text)).success;
  } catch {
    return false;
  }
}

/** `field`: a property of a valid body, under which the deep nesting also goes. */
function anyJsonBody(base: HttpRequest, schema: Schema, field: string | undefined): fc.Arbitrary<MalformedInput> {
  const anyValue = fc.jsonValue({ maxDepth: 4, stringUnit: "binary" }).map((value) => ({
    request: jsonRequest(base, value),
    mustFail: !z.safeParse(schema, value).success,
  }));
  // Nesting deeper than JSON.stringify goes, written out as text, up to 80 kB: past 64 KiB it is too
  // large, and far past it Node's fetch may see the socket close before it reads the early 413.
  const deep = fc
    .record({
      level: fc.constantFrom<[string, string]>(["[", "]"], ['{"a":', "}"]),
      share: fc.double({ min: 0.01, max: 1, noNaN: true }),
      underField: fc.boolean(),
    })
    .map(({ level: [open, close], share, underField }) => {
      const depth = Math.ceil((share * 80_000) / (open.length + close.length));
      const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
      const text = underField && field !== undefined ? `{${JSON.stringify(field)}:${nested}}` : nested;
      return { request: jsonRequest(base, undefined, text), mustFail: !acceptsText(schema, text) };
    });
  return fc.oneof({ weight: 4, arbitrary: anyValue }, { weight: 1, arbitrary: deep });
}

type Path = readonly (string | number)[];
type Mutation =
  | { kind: "replace"; value: unknown }
  | { kind: "append"; text: string }
  | { kind: "drop" }
  | { kind: "nest"; depth: number }
  | { kind: "add"; key: string; value: unknown };

/** Text with the characters that trip parsers, databases and key formats, mixed with any others. */
const oddText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "\u0000",
      "\u0001",
      "\ud800",
      "\udfff",
      "\ufeff",
      "\u202e",
      "|",
      ":",
      "\\",
      "'",
      '"',
      "%",
      "é",
      "🙂",
    ),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 12,
});

const replacement: fc.Arbitrary<unknown> = fc.oneof(
  // Usually of the wrong type.
  fc.jsonValue({ maxDepth: 2 }),
  // Out of range, fractional, unsafe.
  fc.constantFrom<unknown>(-1, 0, 100, 1.5, -0.5, 2 ** 53 + 2, 1e308, -1e308, 1e-7),
  // Empty and odd values.
  fc.constantFrom<unknown>("", [], {}, null, true, " ", "x".repeat(601)),
  oddText,
  // Huge strings; past 64 KiB the whole body is too large.
  fc.integer({ min: 1_000, max: 80_000 }).map((n) => "x".repeat(n)),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: replacement.map((value) => ({ kind: "replace" as const, value })) },
  // A valid value with odd text after it keeps its type, so it gets past type checks to the domain.
  { weight: 3, arbitrary: oddText.map((text) => ({ kind: "append" as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: "drop" as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 3_000 }).map((depth) => ({ kind: "nest" as const, depth })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ key: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 1 }) })
      .map(({ key, value }) => ({ kind: "add" as const, key, value })),
  },
);

/** Every part of every seed, each broken in the ways most likely to reach past validation. */
function sharpEdits(base: HttpRequest, schema: Schema, seeds: readonly unknown[]): MalformedInput[] {
  const edits: Mutation[] = [
    { kind: "append", text: "\u0000" },
    { kind: "append", text: "\ud800" },
    { kind: "replace", value: null },
    { kind: "drop" },
  ];
  const bodies = new Map<string, unknown>();
  for (const seed of seeds) {
    for (const path of pathsOf(seed)) {
      for (const edit of edits) {
        const body = mutate(seed, path, edit);
        bodies.set(JSON.stringify(body), body);
      }
    }
  }
  return [...bodies.values()].map((body) => ({
    request: jsonRequest(base, body),
    mustFail: !z.safeParse(schema, body).success,
  }));
}

function brokenBody(base: HttpRequest, schema: Schema, seeds: readonly unknown[]): fc.Arbitrary<MalformedInput> {
  return fc.record({ seed: fc.constantFrom(...seeds), pick: fc.nat(), mutation }).map(({ seed, pick, mutation }) => {
    const paths = pathsOf(seed);
    const body = mutate(seed, paths[pick % paths.length] ?? [], mutation);
    return { request: jsonRequest(base, body), mustFail: !z.safeParse(schema, body).success };
  });
}

function pathsOf(value: unknown, at: Path = []): Path[] {
  const children = Array.isArray(value)
    ? value.flatMap((child, index) => pathsOf(child, [...at, index]))
    : isRecord(value)
      ? Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...at, key]))
      : [];
  return at.length > 0 ? [at, ...children] : children;
}

function mutate(seed: unknown, path: Path, change: Mutation): unknown {
  const root: unknown = structuredClone(seed);
  const key = path.at(-1);
  let parent: unknown = root;
  for (const step of path.slice(0, -1)) parent = child(parent, step);
  const current = key === undefined ? root : child(parent, key);
  let next: unknown;
  switch (change.kind) {
    case "replace":
      next = change.value;
      break;
    case "append":
      next = typeof current === "string" || typeof current === "number" ? `${current}${change.text}` : change.text;
      break;
    case "nest":
      next = current;
      for (let level = 0; level < change.depth; level++) next = level % 2 === 0 ? [next] : { a: next };
      break;
    case "add":
      if (Array.isArray(current)) next = [...current, change.value];
      else next = isRecord(current) ? { ...current, [change.key]: change.value } : { [change.key]: change.value };
      break;
    case "drop":
      if (key === undefined) return undefined;
      if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
      else if (isRecord(parent)) delete parent[String(key)];
      return root;
  }
  if (key === undefined) return next;
  if (Array.isArray(parent) && typeof key === "number") parent[key] = next;
  else if (isRecord(parent)) parent[String(key)] = next;
  return root;
}

function child(node: unknown, key: string | number): unknown {
  if (Array.isArray(node) && typeof key === "number") return node[key];
  return isRecord(node) ? node[String(key)] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Characters undici will put in a header value (it refuses NUL, CR, LF and other controls). */
const headerChar = fc
  .oneof(fc.constant(0x09), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
  .map((code) => String.fromCharCode(code));

/** Unicode as it travels in a header: its UTF-8 bytes, one latin-1 character each. */
const utf8OnTheWire = (text: string) =>
  Buffer.from(text, "utf8")
    .toString("latin1")
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, "?");

const notJsonContentType = fc.oneof(
  fc.constantFrom(
    "text/plain",
    "text/html; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/jsonp",
    "json",
    "application/octet-stream",
    "",
  ),
  fc.string({ unit: headerChar, maxLength: 60 }).filter((type) => !/json/i.test(type)),
);

function notJsonBody(base: HttpRequest, schema: Schema): fc.Arbitrary<MalformedInput> {
  const valid = typeof base.body === "string" ? base.body : "{}";
  const withType = (contentType: string | undefined, body: string | Uint8Array): HttpRequest => {
    const headers = { ...base.headers };
    delete headers["content-type"];
    if (contentType !== undefined) headers["content-type"] = contentType;
    return { ...base, headers, body };
  };
  return fc.oneof(
    // A JSON body under another content type.
    notJsonContentType.map((type) => ({ request: withType(type, valid), mustFail: true })),
    // No content type at all (fetch sets none for bytes).
    fc.constant({ request: withType(undefined, new TextEncoder().encode(valid)), mustFail: true }),
    // JSON cut short, or text that is not JSON.
    fc
      .oneof(
        fc.nat({ max: Math.max(valid.length - 1, 0) }).map((end) => valid.slice(0, end)),
        fc.string({ unit: "binary", maxLength: 80 }),
      )
      .map((text) => ({ request: withType("application/json", text), mustFail: !acceptsText(schema, text) })),
    // Bytes that may not even be UTF-8.
    fc.uint8Array({ maxLength: 120 }).map((bytes) => ({
      request: withType("application/json", bytes),
      mustFail: !acceptsText(schema, new TextDecoder().decode(bytes)),
    })),
  );
}

function randomQuery(base: HttpRequest, schema: z.ZodMiniObject): fc.Arbitrary<MalformedInput> {
  const path = base.url.split("?")[0] ?? base.url;
  const names = Object.keys(schema.shape);
  const name = names.length > 0 ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 16 })) : fc.string();
  const value = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom("", " ", "EN", "en ", "de,en", "null", "undefined", "[]", "%", "0", "-1", "x".repeat(2_000)),
  );
  const parsed = fc.dictionary(name, value, { maxKeys: 5 }).map((query) => ({
    request: { ...base, url: withQuery(path, query) },
    mustFail: !z.safeParse(schema, query).success,
  }));
  // Raw query strings, percent signs and separators included: how they parse is the server's business.
  const raw = fc
    .string({
      unit: fc.constantFrom("%", "%zz", "%E0%A4", "&", "=", "+", "?", "[", "]", "a", "é", "en", "de", ...names),
    })
    .map((search) => ({ request: { ...base, url: `${path}?${search}` }, mustFail: false }));
  return fc.oneof(parsed, raw);
}

function randomShopHeader(base: HttpRequest, knownShops: ReadonlySet<string>): fc.Arbitrary<MalformedInput> {
  const shops = [...knownShops];
  const nearMisses = [...shops.map((id) => id.toUpperCase()), ...shops.map((id) => `../${id}`), shops.join(",")];
  const value = fc.oneof(
    fc.constantFrom("", " ", "-shop", "a".repeat(64), ...nearMisses),
    fc.string({ unit: headerChar, maxLength: 80 }),
    fc.string({ unit: "grapheme", maxLength: 40 }).map(utf8OnTheWire),
    // Long, past Node's 16 KiB header limit too: server.ts answers that with the envelope.
    fc.integer({ min: 1_000, max: 30_000 }).map((n) => "s".repeat(n)),
  );
  return value.map((shopId) => ({
    request: { ...base, headers: { ...base.headers, "x-shop-id": shopId } },
    // Header whitespace is trimmed on the way: a known shop with spaces around is still that shop.
    mustFail: !knownShops.has(shopId.trim()),
  }));
}

/** Failure reports print the request, with long bodies and headers cut short. */
function printable(input: MalformedInput): MalformedInput {
  return Object.assign(input, { [fc.toStringMethod]: () => describeRequest(input.request) });
}
