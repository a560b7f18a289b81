/**
 * Reads a JSON request body and parses it with a contract schema. Wrong content type → 415, bad JSON
 * or a schema failure → 400 VALIDATION_FAILED with the issues (never zod's raw output).
 */
import type { Context } from "hono";
import * as z from "zod/mini";
import { ApiError } from "./api-error.ts";

const jsonType = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

export async function readJson<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!jsonType.test(type)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  const text = await c.req.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ApiError("VALIDATION_FAILED", "the body is not valid JSON", { issues: [] }, { cause });
  }
  return parseInput(schema, raw, "body");
}

/** Parses any input (body, query, params) with a schema, or throws VALIDATION_FAILED naming each issue. */
export function parseInput<S extends z.ZodMiniType>(schema: S, raw: unknown, where: string): z.output<S> {
  const result = z.safeParse(schema, raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new ApiError("VALIDATION_FAILED", `invalid ${where}: ${issues[0]?.path}: ${issues[0]?.message}`, { issues });
}
