import { describe, expect, it } from "vitest";
import { clientIp, normalize, UNKNOWN_CLIENT } from "./client-ip.ts";

const chain = "6.6.6.6, 203.0.113.7, 10.0.0.1";

describe("the client address", () => {
  it("is the socket peer when no proxy hop is trusted, whatever X-Forwarded-For says", () => {
    expect(clientIp("10.0.0.2", undefined, 0)).toBe("10.0.0.2");
    expect(clientIp("10.0.0.2", chain, 0)).toBe("10.0.0.2");
    expect(clientIp("10.0.0.2", "garbage, ::1", 0)).toBe("10.0.0.2");
  });

  it("is the N-th address from the right of X-Forwarded-For plus the peer, with N trusted hops", () => {
    expect(clientIp("10.0.0.2", chain, 1)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.2", chain, 2)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.2", chain, 3)).toBe("6.6.6.6");
  });

  it("is the leftmost address when the request came through fewer proxies than trusted", () => {
    expect(clientIp("10.0.0.2", "203.0.113.7", 3)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.2", undefined, 2)).toBe("10.0.0.2");
    expect(clientIp("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
  });

  it("ignores what a client prepends to the header: only the trusted proxy's entry counts", () => {
    expect(clientIp("10.0.0.1", "1.1.1.1, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.1", "2.2.2.2, 203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("tolerates spacing and empty entries in the header", () => {
    expect(clientIp("10.0.0.1", "6.6.6.6,203.0.113.7 ,,", 1)).toBe("203.0.113.7");
  });

  it("is one shared key for a request without a socket", () => {
    expect(clientIp(undefined, undefined, 0)).toBe(UNKNOWN_CLIENT);
    expect(clientIp(undefined, "203.0.113.7", 1)).toBe("203.0.113.7");
  });
});

describe("an address is written one way", () => {
  it.each([
    ["::ffff:127.0.0.2", "127.0.0.2"],
    ["::FFFF:203.0.113.7", "203.0.113.7"],
    ["203.0.113.7:4711", "203.0.113.7"],
    ["[2001:DB8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:DB8::1", "2001:db8::1"],
    [" 10.0.0.1 ", "10.0.0.1"],
  ])("%j → %j", (raw, expected) => {
    expect(normalize(raw)).toBe(expected);
  });

  it("cuts an entry that is no address at 64 characters", () => {
    expect(normalize("x".repeat(500))).toBe("x".repeat(64));
  });
});
