import { describe, expect, it } from "vitest";
import { findBreakingChanges } from "./compat.ts";
import { buildOpenApiDocument, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from "./openapi.ts";

const json = (schema: JsonSchema) => ({ "application/json": { schema } });

/** One operation, `POST /v1/things`, with a header, a query parameter, a body and two responses. */
function baseDocument(): OpenApiDocument {
  const item: JsonSchema = {
    type: "object",
    properties: {
      sku: { type: "string" },
      quantity: { type: "integer", minimum: 1, maximum: 99 },
      attributes: { type: "object", additionalProperties: { type: "string", maxLength: 64 } },
    },
    required: ["sku", "quantity"],
  };
  const request: JsonSchema = {
    type: "object",
    properties: {
      items: { type: "array", items: item, minItems: 1, maxItems: 50 },
      note: { type: "string", minLength: 1, maxLength: 200, pattern: "^[a-z ]+$" },
      mode: { type: "string", enum: ["sale", "rental"] },
    },
    required: ["items"],
  };
  const response: JsonSchema = {
    type: "object",
    properties: {
      ok: { type: "boolean", const: true },
      status: { type: "string", enum: ["open", "complete"] },
      items: {
        type: "array",
        items: {
          type: "object",
          properties: { sku: { type: "string" }, available: { type: "integer", minimum: 0 } },
          required: ["sku", "available"],
        },
      },
    },
    required: ["ok", "status", "items"],
  };
  const operation: OpenApiOperation = {
    operationId: "createThing",
    summary: "Creates a thing.",
    tags: ["things"],
    parameters: [
      { name: "x-shop-id", in: "header", required: false, schema: { type: "string" } },
      { name: "dryRun", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] } },
    ],
    requestBody: { required: true, content: json(request) },
    responses: {
      "200": { description: "Created.", content: json(response) },
      "409": { description: "Conflict.", content: json({ type: "object" }), "x-error-codes": ["INSUFFICIENT_STOCK"] },
    },
  };
  return { openapi: "3.1.0", info: { title: "test", version: "1.0.0" }, paths: { "/v1/things": { post: operation } } };
}

function post(doc: OpenApiDocument): OpenApiOperation {
  const operation = doc.paths["/v1/things"]?.post;
  if (!operation) throw new Error("the test document lost its operation");
  return operation;
}

/** Walks properties by name and array items by "[]". */
function at(schema: JsonSchema | undefined, ...path: string[]): JsonSchema {
  const found = path.reduce((s, step) => (step === "[]" ? s?.items : s?.properties?.[step]), schema);
  if (!found) throw new Error(`no schema at ${path.join(".")}`);
  return found;
}
const body = (doc: OpenApiDocument, ...path: string[]) =>
  at(post(doc).requestBody?.content["application/json"]?.schema, ...path);
const ok = (doc: OpenApiDocument, ...path: string[]) =>
  at(post(doc).responses["200"]?.content?.["application/json"]?.schema, ...path);

function changesAfter(change: (doc: OpenApiDocument) => void, before = baseDocument()) {
  const after = structuredClone(before);
  change(after);
  return findBreakingChanges(before, after);
}

type Case = [name: string, change: (doc: OpenApiDocument) => void, path: string, reason: string];

describe("findBreakingChanges reports what would break a client", () => {
  const cases: Case[] = [
    ["a removed operation", (d) => delete d.paths["/v1/things"], "POST /v1/things", "the operation was removed"],
    [
      "a removed response status",
      (d) => delete post(d).responses["409"],
      "POST /v1/things 409",
      "the response status was removed",
    ],
    [
      "a property removed from a response, inside an array",
      (d) => {
        const item = ok(d, "items", "[]");
        delete item.properties?.available;
        item.required = ["sku"];
      },
      "POST /v1/things 200 $.items[].available",
      "the property was removed",
    ],
    [
      "a required response property becoming optional",
      (d) => {
        ok(d).required = ["ok", "items"];
      },
      "POST /v1/things 200 $.status",
      "a required property became optional",
    ],
    [
      "a response type changed from integer to string",
      (d) => {
        ok(d, "items", "[]", "available").type = "string";
      },
      "POST /v1/things 200 $.items[].available",
      "type changed from integer to string",
    ],
    [
      "a response type widened from integer to number",
      (d) => {
        ok(d, "items", "[]", "available").type = "number";
      },
      "POST /v1/things 200 $.items[].available",
      "type changed from integer to number",
    ],
    [
      "a response value that may now be null",
      (d) => {
        const item = ok(d, "items", "[]");
        if (item.properties) item.properties.available = { anyOf: [{ type: "integer", minimum: 0 }, { type: "null" }] };
      },
      "POST /v1/things 200 $.items[].available",
      "may now be null",
    ],
    [
      "a response minimum lowered",
      (d) => {
        ok(d, "items", "[]", "available").minimum = -1;
      },
      "POST /v1/things 200 $.items[].available",
      "minimum changed from 0 to -1",
    ],
    [
      "a response enum dropped altogether",
      (d) => delete ok(d, "status").enum,
      "POST /v1/things 200 $.status",
      'no longer limited to "open", "complete"',
    ],
    [
      "a response literal changed",
      (d) => {
        ok(d, "ok").const = false;
      },
      "POST /v1/things 200 $.ok",
      "no longer always true",
    ],
    [
      "a new required request property",
      (d) => {
        const schema = body(d);
        if (schema.properties) schema.properties.currency = { type: "string" };
        schema.required = ["items", "currency"];
      },
      "POST /v1/things body $.currency",
      "a new required input",
    ],
    [
      "an optional request property becoming required",
      (d) => {
        body(d).required = ["items", "note"];
      },
      "POST /v1/things body $.note",
      "an optional input became required",
    ],
    [
      "a new required query parameter",
      (d) => post(d).parameters?.push({ name: "page", in: "query", required: true, schema: { type: "string" } }),
      "POST /v1/things query $.page",
      "a new required input",
    ],
    [
      "an optional header becoming required",
      (d) => {
        const header = post(d).parameters?.find((p) => p.in === "header");
        if (header) header.required = true;
      },
      "POST /v1/things header $.x-shop-id",
      "an optional input became required",
    ],
    [
      "a request type changed",
      (d) => {
        body(d, "items", "[]", "quantity").type = "string";
      },
      "POST /v1/things body $.items[].quantity",
      "type changed from integer to string",
    ],
    [
      "a request enum value removed",
      (d) => {
        body(d, "mode").enum = ["sale"];
      },
      "POST /v1/things body $.mode",
      'no longer accepts "rental"',
    ],
    [
      "an enum imposed on a free request string",
      (d) => {
        body(d, "note").enum = ["hello"];
      },
      "POST /v1/things body $.note",
      'now restricted to "hello"',
    ],
    [
      "a request minimum raised",
      (d) => {
        body(d, "items", "[]", "quantity").minimum = 2;
      },
      "POST /v1/things body $.items[].quantity",
      "minimum changed from 1 to 2",
    ],
    [
      "a request maximum lowered",
      (d) => {
        body(d, "items", "[]", "quantity").maximum = 50;
      },
      "POST /v1/things body $.items[].quantity",
      "maximum changed from 99 to 50",
    ],
    [
      "a request minLength raised",
      (d) => {
        body(d, "note").minLength = 2;
      },
      "POST /v1/things body $.note",
      "minLength changed from 1 to 2",
    ],
    [
      "a request maxLength lowered",
      (d) => {
        body(d, "note").maxLength = 100;
      },
      "POST /v1/things body $.note",
      "maxLength changed from 200 to 100",
    ],
    [
      "a request maxItems lowered",
      (d) => {
        body(d, "items").maxItems = 10;
      },
      "POST /v1/things body $.items",
      "maxItems changed from 50 to 10",
    ],
    [
      "a request pattern changed",
      (d) => {
        body(d, "note").pattern = "^[a-z]+$";
      },
      "POST /v1/things body $.note",
      'pattern changed from "^[a-z ]+$" to "^[a-z]+$"',
    ],
    [
      "a record's values narrowed in a request",
      (d) => {
        body(d, "items", "[]", "attributes").additionalProperties = { type: "string", maxLength: 32 };
      },
      "POST /v1/things body $.items[].attributes.*",
      "maxLength changed from 64 to 32",
    ],
    [
      "a request object that stops accepting unlisted properties",
      (d) => {
        body(d).additionalProperties = false;
      },
      "POST /v1/things body $",
      "properties not listed are no longer accepted",
    ],
  ];

  it.each(cases)("reports %s", (_name, change, path, reason) => {
    expect(changesAfter(change)).toEqual([{ path, reason: expect.stringContaining(reason) }]);
  });

  it("reports a request body that was optional becoming required", () => {
    const before = baseDocument();
    const requestBody = post(before).requestBody;
    if (requestBody) requestBody.required = false;
    expect(changesAfter((d) => Object.assign(post(d).requestBody ?? {}, { required: true }), before)).toEqual([
      { path: "POST /v1/things body", reason: "a request body is now required" },
    ]);
  });

  it("reports a request alternative that is no longer accepted", () => {
    const before = baseDocument();
    const props = body(before).properties ?? {};
    props.note = { anyOf: [{ type: "string" }, { type: "null" }] };
    expect(changesAfter((d) => Object.assign(body(d).properties ?? {}, { note: { type: "string" } }), before)).toEqual([
      { path: "POST /v1/things body $.note", reason: "alternative 2 (null) is no longer accepted" },
    ]);
  });
});

describe("findBreakingChanges lets additive changes through", () => {
  const cases: [name: string, change: (doc: OpenApiDocument) => void][] = [
    ["a new optional request property", (d) => Object.assign(body(d).properties ?? {}, { gift: { type: "boolean" } })],
    [
      "a new optional query parameter",
      (d) => post(d).parameters?.push({ name: "page", in: "query", required: false, schema: { type: "string" } }),
    ],
    ["a new response property", (d) => Object.assign(ok(d).properties ?? {}, { total: { type: "integer" } })],
    ["a new endpoint", (d) => Object.assign(d.paths, { "/v1/others": { get: post(baseDocument()) } })],
    ["a new response status", (d) => Object.assign(post(d).responses, { "429": { description: "Slow down." } })],
    [
      "a new value in a response enum",
      (d) => Object.assign(ok(d, "status"), { enum: ["open", "complete", "expired"] }),
    ],
    ["a removed request property", (d) => delete body(d).properties?.note],
    ["a request minimum lowered", (d) => Object.assign(body(d, "items", "[]", "quantity"), { minimum: 0 })],
    ["a request maximum raised", (d) => Object.assign(body(d, "items", "[]", "quantity"), { maximum: 999 })],
    [
      "a request integer widened to number",
      (d) => Object.assign(body(d, "items", "[]", "quantity"), { type: "number" }),
    ],
    ["a new value in a request enum", (d) => Object.assign(body(d, "mode"), { enum: ["sale", "rental", "gift"] })],
    ["a request pattern removed", (d) => delete body(d, "note").pattern],
    [
      "a request that now also accepts null",
      (d) => Object.assign(body(d).properties ?? {}, { note: { anyOf: [{ type: "string" }, { type: "null" }] } }),
    ],
    ["a response narrowed by a new maximum", (d) => Object.assign(ok(d, "items", "[]", "available"), { maximum: 99 })],
    [
      "a new error code on a declared status",
      (d) => post(d).responses["409"]?.["x-error-codes"]?.push("PRICE_CHANGED"),
    ],
  ];

  it.each(cases)("does not report %s", (_name, change) => {
    expect(changesAfter(change)).toEqual([]);
  });

  it("does not report response alternatives that were only reordered", () => {
    const before = baseDocument();
    const item = ok(before, "items", "[]");
    if (item.properties) item.properties.available = { anyOf: [{ type: "integer" }, { type: "null" }] };
    const reordered = (d: OpenApiDocument) =>
      Object.assign(ok(d, "items", "[]").properties ?? {}, {
        available: { anyOf: [{ type: "null" }, { type: "integer" }] },
      });
    expect(changesAfter(reordered, before)).toEqual([]);
  });

  it("finds nothing between the generated v1 document and itself", () => {
    expect(findBreakingChanges(buildOpenApiDocument(), buildOpenApiDocument())).toEqual([]);
  });
});
