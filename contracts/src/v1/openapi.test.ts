import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findBreakingChanges } from "./compat.ts";
import { buildOpenApiDocument, type OpenApiDocument, type OperationMethod } from "./openapi.ts";
import { endpoints, findEndpoint } from "./registry/index.ts";

const generated = buildOpenApiDocument();
const snapshot = JSON.parse(readFileSync(new URL("../../openapi/v1.json", import.meta.url), "utf8")) as OpenApiDocument;

function operationOf(id: string) {
  const endpoint = findEndpoint(id);
  return generated.paths[endpoint.path]?.[endpoint.method.toLowerCase() as OperationMethod];
}

describe("the generated OpenAPI document", () => {
  it("is OpenAPI 3.1 titled as the authority server", () => {
    expect(generated.openapi).toBe("3.1.0");
    expect(generated.info).toEqual({ title: "Commerce authority server", version: "1.0.0" });
  });

  it.each(endpoints.map((e) => [e.id, e] as const))("has %s with every status it declares", (_id, endpoint) => {
    const operation = operationOf(endpoint.id);
    expect(operation?.operationId).toBe(endpoint.id);
    expect(Object.keys(operation?.responses ?? {})).toEqual(Object.keys(endpoint.responses));
  });

  it("requires the shop header unless the body may name the shop", () => {
    const header = (id: string) => operationOf(id)?.parameters?.find((p) => p.name === "x-shop-id");
    expect(header("getCatalog")?.required).toBe(true);
    expect(header("validateInventory")?.required).toBe(false);
    expect(header("health")).toBeUndefined();
  });

  it("lists an endpoint's other request headers as header parameters", () => {
    const key = operationOf("createCheckoutSession")?.parameters?.find((p) => p.name === "Idempotency-Key");
    expect(key).toMatchObject({
      in: "header",
      required: false,
      schema: { type: "string", pattern: "^[A-Za-z0-9_.:-]{8,255}$" },
    });
  });

  it("turns each query property into an optional or required query parameter", () => {
    const locale = operationOf("getCatalog")?.parameters?.find((p) => p.in === "query");
    expect(locale).toMatchObject({ name: "locale", required: false, schema: { enum: ["en", "de"] } });
  });

  it("lists the error codes of each error response", () => {
    expect(operationOf("validateInventory")?.responses["409"]?.["x-error-codes"]).toEqual(["INSUFFICIENT_STOCK"]);
  });

  it("describes the metrics body as plain text", () => {
    expect(operationOf("metrics")?.responses["200"]?.content).toEqual({ "text/plain": { schema: { type: "string" } } });
  });
});

describe("the committed snapshot contracts/openapi/v1.json", () => {
  it("has no change that would break a v1 client", () => {
    const changes = findBreakingChanges(snapshot, generated);
    const message = [
      "v1 changed incompatibly; a breaking change needs /v2 beside v1:",
      ...changes.map((c) => `  ${c.path}: ${c.reason}`),
    ].join("\n");
    expect(changes, message).toEqual([]);
  });

  it("equals the generated document", () => {
    expect(
      JSON.parse(JSON.stringify(generated)),
      "v1 changed additively: run pnpm openapi:snapshot and commit contracts/openapi/v1.json",
    ).toStrictEqual(snapshot);
  });
});
