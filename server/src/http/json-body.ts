/**
 * Reads a JSON request body and parses it with a contract schema. Wrong content type → 415, bad JSON
 * or a schema failure → 400 VALIDATION_FAILED with the issues (never zod's raw output).
 */
import type { Context } from "hono";
import * as z from "zod/mini";
import { ApiError } from "./api-error.ts";
import { readBodyText } from "./read-body.ts";

const jsonType = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

export async function readJson<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!jsonType.test(type)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  const text = await readBodyText(c);
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
  if (result.success) {
    const nul = findNul(result.data, where);
    if (nul === undefined) return result.data;
    const message = "text may not contain NUL (U+0000) characters";
    throw new ApiError("VALIDATION_FAILED", `invalid ${where}: ${nul}: ${message}`, {
      issues: [{ path: nul, message }],
    });
  }
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new ApiError("VALIDATION_FAILED", `invalid ${where}: ${issues[0]?.path}: ${issues[0]?.message}`, { issues });
}

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying one names nothing we store: it is bad
 * input (400), not a query for the database to refuse (500). Iterative, as inputs may nest deeply.
 */
function findNul(value: unknown, where: string): string | undefined {
  const pending: [unknown, string][] = [[value, where]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, path] = next;
    if (typeof node === "string" && node.includes("\u0000")) return path;
    if (typeof node !== "object" || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      if (key.includes("\u0000")) return path;
      pending.push([child, `${path}.${key}`]);
    }
  }
  return undefined;
}
