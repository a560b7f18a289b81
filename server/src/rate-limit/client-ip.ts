/**
 * The client address a request is counted under (API.md, checkout rule 1).
 *
 * The socket peer is the client unless `TRUST_PROXY_HOPS` (N) says N proxies stand in front of the
 * server. Then the addresses are read right to left from the list `X-Forwarded-For` + peer, the peer
 * counting as the 0th: the peer and the N − 1 addresses left of it are our proxies, and the N-th
 * address from the right is the client (the one our outermost proxy saw and appended).
 *
 *   peer 10.0.0.2, X-Forwarded-For: "6.6.6.6, 203.0.113.7, 10.0.0.1"
 *   N = 0 → 10.0.0.2 (the header is ignored, whatever it says)
 *   N = 1 → 10.0.0.1
 *   N = 2 → 203.0.113.7
 *   N = 3 → 6.6.6.6 (whatever the client wrote itself: trust only as many hops as you run)
 *
 * With fewer addresses than N + 1 the leftmost one is taken (the request came through fewer proxies
 * than configured). Anything left of the client is written by the client and never read, so a spoofed
 * header cannot move a request into another budget. IPv4-mapped IPv6 (`::ffff:127.0.0.1`) counts as
 * the IPv4 address, a port or brackets some proxies add (`[::1]:443`, `1.2.3.4:80`) are dropped.
 */
import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The key for a request without a socket (`app.request()` in tests): they all share one budget. */
export const UNKNOWN_CLIENT = "unknown";

/** The client address of a request served by @hono/node-server. */
export function clientIpOf(c: Context, trustedHops: number): string {
  return clientIp(peerAddress(c), c.req.header("x-forwarded-for"), trustedHops);
}

/** The pure rule above: the peer's address, the raw `X-Forwarded-For` (if any) and N. */
export function clientIp(peer: string | undefined, forwardedFor: string | undefined, trustedHops: number): string {
  const peerAddress = peer === undefined ? UNKNOWN_CLIENT : normalize(peer);
  if (trustedHops <= 0 || forwardedFor === undefined) return peerAddress;
  const forwarded = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const chain = [...forwarded, peerAddress];
  const picked = chain[Math.max(0, chain.length - 1 - trustedHops)];
  return picked === undefined ? peerAddress : normalize(picked);
}

function peerAddress(c: Context): string | undefined {
  // `app.request()` has no socket, and getConnInfo reads `c.env.incoming.socket`.
  const env = c.env as { incoming?: unknown; server?: { incoming?: unknown } } | undefined;
  if (!env?.incoming && !env?.server?.incoming) return undefined;
  return getConnInfo(c).remote.address;
}

/** A canonical form of one address, so that one client is one key however it is written. */
export function normalize(raw: string): string {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) address = mapped[1];
  // A trusted proxy wrote it, yet keep a broken entry from becoming an unbounded key.
  return isIP(address) === 0 ? address.slice(0, 64) : address;
}
