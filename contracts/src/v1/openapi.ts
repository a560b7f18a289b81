/**
 * The v1 API as an OpenAPI 3.1 document, generated from the endpoint registry with zod's own JSON
 * Schema output. `GET /v1/openapi.json` serves it and `contracts/openapi/v1.json` is its committed
 * snapshot, which `compat.ts` compares against to keep v1 additive.
 */
import * as z from "zod/mini";
import { shopIdSchema } from "./common.ts";
import { type Endpoint, endpoints, type ResponseSpec } from "./registry/index.ts";

/** A JSON Schema (draft 2020-12) as zod writes it; only the keywords we read are named. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  [keyword: string]: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
  /** The error codes this status may carry (our extension). */
  "x-error-codes"?: string[];
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export const operationMethods = ["get", "put", "post", "delete", "patch"] as const;
export type OperationMethod = (typeof operationMethods)[number];
export type OpenApiPathItem = Partial<Record<OperationMethod, OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, OpenApiPathItem>;
}

function jsonSchema(schema: z.ZodMiniType, io: "input" | "output"): JsonSchema {
  // `cycles: "throw"`: a recursive schema would need `components` so its `$ref`s resolve; none exists yet.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    cycles: "throw",
    // zod marks output objects closed; v1 responses only grow, so clients must accept new fields.
    override: (ctx) => {
      if (io === "output" && ctx.jsonSchema.additionalProperties === false) delete ctx.jsonSchema.additionalProperties;
    },
  }) as JsonSchema;
  return rest;
}

function parameters(endpoint: Endpoint, body: JsonSchema | undefined): OpenApiParameter[] {
  const params: OpenApiParameter[] = [];
  for (const [, name] of endpoint.path.matchAll(/\{([^}]+)\}/g)) {
    params.push({ name: name ?? "", in: "path", required: true, schema: { type: "string" } });
  }
  if (endpoint.shopScoped) {
    const bodyNamesShop = body?.properties?.shopId !== undefined;
    params.push({
      name: "x-shop-id",
      in: "header",
      required: !bodyNamesShop,
      description: bodyNamesShop
        ? "The shop this call is for. Optional when the body names `shopId`; both must agree when both are sent."
        : "The shop this call is for.",
      schema: jsonSchema(shopIdSchema, "input"),
    });
  }
  for (const [name, spec] of Object.entries(endpoint.headers ?? {})) {
    params.push({
      name,
      in: "header",
      required: spec.required ?? false,
      description: spec.description,
      schema: jsonSchema(spec.schema, "input"),
    });
  }
  if (endpoint.query) {
    const query = jsonSchema(endpoint.query, "input");
    const required = new Set(query.required);
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: "query", required: required.has(name), schema });
    }
  }
  return params;
}

function response(spec: ResponseSpec): OpenApiResponse {
  const out: OpenApiResponse = { description: spec.description };
  if (spec.schema) {
    out.content = { [spec.contentType ?? "application/json"]: { schema: jsonSchema(spec.schema, "output") } };
  } else if (spec.contentType) {
    out.content = { [spec.contentType]: { schema: { type: "string" } } };
  }
  if (spec.codes) out["x-error-codes"] = [...spec.codes];
  return out;
}

function operation(endpoint: Endpoint): OpenApiOperation {
  const body = endpoint.body ? jsonSchema(endpoint.body, "input") : undefined;
  const params = parameters(endpoint, body);
  return {
    operationId: endpoint.id,
    summary: endpoint.summary,
    tags: [...endpoint.tags],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: body } } } } : {}),
    // Integer-like keys keep ascending order in JS objects, so statuses are stable without sorting.
    responses: Object.fromEntries(Object.entries(endpoint.responses).map(([status, spec]) => [status, response(spec)])),
  };
}

export function buildOpenApiDocument(): OpenApiDocument {
  const paths: Record<string, OpenApiPathItem> = {};
  // Paths sorted and methods in a fixed order: the snapshot does not move when the registry is reordered.
  for (const path of [...new Set(endpoints.map((e) => e.path))].sort()) {
    const item: OpenApiPathItem = {};
    for (const method of operationMethods) {
      const endpoint = endpoints.find((e) => e.path === path && e.method.toLowerCase() === method);
      if (endpoint) item[method] = operation(endpoint);
    }
    paths[path] = item;
  }
  return { openapi: "3.1.0", info: { title: "Commerce authority server", version: "1.0.0" }, paths };
}
