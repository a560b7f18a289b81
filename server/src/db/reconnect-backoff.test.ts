import { expect, it } from "vitest";
import { reconnectBackoffSeconds } from "./database.ts";

it("waits at most a second between reconnect attempts, however long the outage", () => {
  const waits = Array.from({ length: 40 }, (_, retries) => reconnectBackoffSeconds(retries));
  expect(Math.max(...waits)).toBeLessThanOrEqual(1);
  expect(waits[0]).toBeLessThanOrEqual(0.1);
  expect(waits.every((wait) => wait > 0)).toBe(true);
});
