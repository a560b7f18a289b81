/** Registry: the operational endpoints (liveness, readiness, metrics, the OpenAPI document). */
import * as z from "zod/mini";
import { healthSchema, readySchema } from "../operational.ts";
import { type Endpoint, errors } from "./types.ts";

export const operationsEndpoints: readonly Endpoint[] = [
  {
    id: "health",
    method: "GET",
    path: "/healthz",
    summary: "Liveness: the process runs.",
    tags: ["operations"],
    shopScoped: false,
    responses: { 200: { description: "The process runs.", schema: healthSchema } },
    examples: [{ name: "the process answers", status: 200 }],
  },
  {
    id: "ready",
    method: "GET",
    path: "/readyz",
    summary: "Readiness: the database answers and every migration is applied.",
    tags: ["operations"],
    shopScoped: false,
    responses: {
      200: { description: "Ready to serve.", schema: readySchema },
      503: errors("The database does not answer or migrations are missing.", ["NOT_READY"]),
    },
    examples: [
      { name: "a healthy server is ready", status: 200 },
      { name: "a server whose database is down is not ready", status: 503, code: "NOT_READY", fixture: "databaseDown" },
    ],
  },
  {
    id: "metrics",
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics.",
    tags: ["operations"],
    shopScoped: false,
    responses: { 200: { description: "Prometheus text exposition.", contentType: "text/plain" } },
    examples: [{ name: "metrics are exposed", status: 200 }],
  },
  {
    id: "openapi",
    method: "GET",
    path: "/v1/openapi.json",
    summary: "This API as OpenAPI 3.1, generated from the contracts.",
    tags: ["operations"],
    shopScoped: false,
    responses: { 200: { description: "The OpenAPI document.", schema: z.looseObject({ openapi: z.string() }) } },
    examples: [{ name: "the document is served", status: 200 }],
  },
];
