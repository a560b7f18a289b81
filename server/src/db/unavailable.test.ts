/** An unreachable database (an outage, answered 503) told apart from a failing statement (a bug, 500). */
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable.ts";

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe("isDatabaseUnavailable", () => {
  it.each(["ECONNREFUSED", "ECONNRESET", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_DESTROYED"])(
    "counts the connection error %s",
    (code) => expect(isDatabaseUnavailable(withCode(code))).toBe(true),
  );

  it.each(["57P01", "57P02", "57P03", "53300", "08006"])("counts the server state %s", (code) =>
    expect(isDatabaseUnavailable(withCode(code))).toBe(true),
  );

  it("looks through causes", () => {
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: withCode("ECONNREFUSED") }))).toBe(true);
  });

  it.each(["42P01", "23505", "40001", "22P02"])("does not count the statement error %s", (code) =>
    expect(isDatabaseUnavailable(withCode(code))).toBe(false),
  );

  it("does not count errors without a code", () => {
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
