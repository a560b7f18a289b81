/**
 * Finds the changes between two OpenAPI documents that would break a client written against the
 * first: v1 only grows, and anything this reports belongs in /v2. Requests may accept more and
 * responses may say more (new properties, new enum values); neither may do the opposite.
 */
import {
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  operationMethods,
} from "./openapi.ts";

export interface BreakingChange {
  /** Where: `POST /v1/inventory/validate 200 $.items[].available`, `GET /v1/catalog query $.locale`. */
  path: string;
  reason: string;
}

/** A request must keep accepting what it accepted; a response must not produce what clients never saw. */
type Direction = "request" | "response";
type Out = BreakingChange[];

const lowerBounds = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const;
const upperBounds = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const;
const exactKeywords = ["pattern", "format"] as const;

export function findBreakingChanges(previous: OpenApiDocument, current: OpenApiDocument): BreakingChange[] {
  const out: Out = [];
  for (const [path, item] of Object.entries(previous.paths)) {
    for (const method of operationMethods) {
      const before = item[method];
      if (!before) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const after = current.paths[path]?.[method];
      if (after) compareOperation(before, after, where, out);
      else out.push({ path: where, reason: "the operation was removed" });
    }
  }
  return out;
}

function compareOperation(before: OpenApiOperation, after: OpenApiOperation, where: string, out: Out): void {
  for (const location of ["path", "query", "header"] as const) {
    const b = parametersAsObject(before.parameters ?? [], location);
    const a = parametersAsObject(after.parameters ?? [], location);
    compare(b, a, `${where} ${location} $`, "request", out);
  }

  const bodyBefore = before.requestBody;
  const bodyAfter = after.requestBody;
  if (bodyAfter?.required && !bodyBefore?.required) {
    out.push({ path: `${where} body`, reason: "a request body is now required" });
  }
  if (bodyBefore && bodyAfter) {
    for (const [mediaType, media] of Object.entries(bodyBefore.content)) {
      const next = bodyAfter.content[mediaType];
      if (next) compare(media.schema, next.schema, `${where} body $`, "request", out);
      else out.push({ path: `${where} body`, reason: `${mediaType} bodies are no longer accepted` });
    }
  }

  for (const [status, response] of Object.entries(before.responses)) {
    const next = after.responses[status];
    if (!next) {
      out.push({ path: `${where} ${status}`, reason: "the response status was removed" });
      continue;
    }
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      const nextMedia = next.content?.[mediaType];
      if (nextMedia) compare(media.schema, nextMedia.schema, `${where} ${status} $`, "response", out);
      else out.push({ path: `${where} ${status}`, reason: `the response is no longer ${mediaType}` });
    }
  }
}

/** Parameters of one location as an object schema, so they follow the same rules as body properties. */
function parametersAsObject(params: readonly OpenApiParameter[], location: OpenApiParameter["in"]): JsonSchema {
  const here = params.filter((p) => p.in === location);
  // Header names are case-insensitive.
  const name = (p: OpenApiParameter) => (location === "header" ? p.name.toLowerCase() : p.name);
  return {
    type: "object",
    properties: Object.fromEntries(here.map((p) => [name(p), p.schema])),
    required: here.filter((p) => p.required).map(name),
  };
}

function isCompatible(before: JsonSchema, after: JsonSchema, direction: Direction): boolean {
  const out: Out = [];
  compare(before, after, "", direction, out);
  return out.length === 0;
}

/** Compares two schemas, matching anyOf/oneOf alternatives by what they allow rather than by position. */
function compare(before: JsonSchema, after: JsonSchema, path: string, direction: Direction, out: Out): void {
  const b = alternatives(before);
  const a = alternatives(after);
  const [soleB, soleA] = [b[0], a[0]];
  if (b.length === 1 && a.length === 1 && soleB && soleA) {
    compareShape(soleB, soleA, path, direction, out);
    return;
  }
  // Request: every old alternative must still be accepted. Response: every new alternative must be known.
  const [from, into] = direction === "request" ? [b, a] : [a, b];
  from.forEach((schema, i) => {
    const fits = (other: JsonSchema) =>
      direction === "request" ? isCompatible(schema, other, direction) : isCompatible(other, schema, direction);
    if (into.some(fits)) return;
    const [sameB, sameA] = [b[i], a[i]];
    if (sameB && sameA) {
      compareShape(sameB, sameA, path, direction, out);
    } else if (direction === "request") {
      out.push({ path, reason: `alternative ${i + 1} (${typeLabel(schema)}) is no longer accepted` });
    } else {
      out.push({ path, reason: `the value may now be ${typeLabel(schema)} (new alternative ${i + 1})` });
    }
  });
}

function compareShape(before: JsonSchema, after: JsonSchema, path: string, direction: Direction, out: Out): void {
  // `outer` must allow everything `inner` allows: the new request the old one, the old response the new one.
  const [outer, inner] = direction === "request" ? [after, before] : [before, after];
  const push = (reason: string) => out.push({ path, reason });

  if (!typesCover(types(outer), types(inner))) {
    push(`type changed from ${typeLabel(before)} to ${typeLabel(after)}`);
    return; // Constraints of a different type say nothing more.
  }

  const valuesBefore = allowedValues(before);
  const valuesAfter = allowedValues(after);
  if (direction === "request" && valuesAfter) {
    const lost = valuesBefore ? valuesBefore.filter((v) => !includes(valuesAfter, v)) : undefined;
    if (!valuesBefore) push(`now restricted to ${list(valuesAfter)}`);
    else if (lost && lost.length > 0) push(`no longer accepts ${list(lost)}`);
  }
  // New values in a response enum are additive by policy; a `const` is a literal clients may branch on.
  if (direction === "response" && valuesBefore) {
    if (!valuesAfter) push(`no longer limited to ${list(valuesBefore)}`);
    else if ("const" in before && valuesAfter.some((v) => !includes(valuesBefore, v))) {
      push(`no longer always ${list(valuesBefore)}`);
    }
  }

  for (const keyword of lowerBounds) {
    const [o, i] = [outer[keyword], inner[keyword]];
    if (typeof o === "number" && (typeof i !== "number" || o > i)) push(changed(keyword, before, after));
  }
  for (const keyword of upperBounds) {
    const [o, i] = [outer[keyword], inner[keyword]];
    if (typeof o === "number" && (typeof i !== "number" || o < i)) push(changed(keyword, before, after));
  }
  for (const keyword of exactKeywords) {
    if (outer[keyword] !== undefined && outer[keyword] !== inner[keyword]) push(changed(keyword, before, after));
  }

  compareProperties(before, after, path, direction, out);
  if (before.items || after.items) compare(before.items ?? {}, after.items ?? {}, `${path}[]`, direction, out);
  if (before.propertyNames || after.propertyNames) {
    compare(before.propertyNames ?? {}, after.propertyNames ?? {}, `${path}.<key>`, direction, out);
  }
  const [extraB, extraA] = [before.additionalProperties, after.additionalProperties];
  if (direction === "request" && extraA === false && extraB !== false) {
    push("properties not listed are no longer accepted");
  } else if (typeof extraB === "object" || typeof extraA === "object") {
    // `false` on either side is about unlisted properties, covered above for requests and additive for responses.
    if (extraB !== false && extraA !== false) compare(asSchema(extraB), asSchema(extraA), `${path}.*`, direction, out);
  }
}

function compareProperties(before: JsonSchema, after: JsonSchema, path: string, direction: Direction, out: Out): void {
  const propsB = before.properties ?? {};
  const propsA = after.properties ?? {};
  const requiredB = new Set(before.required);
  const requiredA = new Set(after.required);
  if (direction === "request") {
    for (const [name, schema] of Object.entries(propsA)) {
      const old = propsB[name];
      const where = `${path}.${name}`;
      if (!old) {
        if (requiredA.has(name)) out.push({ path: where, reason: "a new required input" });
        continue;
      }
      if (requiredA.has(name) && !requiredB.has(name))
        out.push({ path: where, reason: "an optional input became required" });
      compare(old, schema, where, direction, out);
    }
    return; // A removed input is ignored by non-strict schemas: not breaking.
  }
  for (const [name, schema] of Object.entries(propsB)) {
    const next = propsA[name];
    const where = `${path}.${name}`;
    if (!next) {
      out.push({ path: where, reason: "the property was removed" });
      continue;
    }
    if (requiredB.has(name) && !requiredA.has(name))
      out.push({ path: where, reason: "a required property became optional" });
    compare(schema, next, where, direction, out);
  }
}

/** anyOf/oneOf branches, flattened; a schema without them is its own single alternative. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  const branches = schema.anyOf ?? schema.oneOf;
  return branches ? branches.flatMap(alternatives) : [schema];
}

function asSchema(value: JsonSchema | boolean | undefined): JsonSchema {
  return typeof value === "object" ? value : {};
}

/** The JSON types a schema allows; undefined means any. */
function types(schema: JsonSchema): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function typesCover(outer: string[] | undefined, inner: string[] | undefined): boolean {
  if (!outer) return true;
  if (!inner) return false;
  return inner.every((t) => outer.includes(t) || (t === "integer" && outer.includes("number")));
}

function typeLabel(schema: JsonSchema): string {
  return types(schema)?.join(" | ") ?? "any";
}

function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  return "const" in schema ? [schema.const] : undefined;
}

function includes(values: readonly unknown[], value: unknown): boolean {
  return values.some((v) => JSON.stringify(v) === JSON.stringify(value));
}

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

function changed(keyword: string, before: JsonSchema, after: JsonSchema): string {
  const show = (v: unknown) => (v === undefined ? "none" : JSON.stringify(v));
  return `${keyword} changed from ${show(before[keyword])} to ${show(after[keyword])}`;
}
