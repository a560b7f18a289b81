/**
 * D03 central inventory against real HTTP services, in every environment × shop-flag combination.
 * The central is a second instance of our own server whose stock differs from the shop's; the faults
 * (a closed port, a service that never answers, a 500, bodies that break the contract) come from a
 * closed loopback port and a tiny node:http server whose behaviour the test switches.
 */
import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sql } from "../src/db/database.ts";
import { createLogger } from "../src/observability/logger.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { startTestServer, type TestServer, testConfig } from "./harness.ts";

const shopId = "cochlearfit";
const sku = "cf-headband-classic";
const blackM = { sku, variantKey: "color:black|size:m", attributes: { color: "black", size: "m" } };
/** Seed stock of classic black/m in the shop's own database; the central holds CENTRAL_BLACK_M. */
const LOCAL_BLACK_M = 12;
const CENTRAL_BLACK_M = 3;
/** A variant only the central sells. */
const purpleM = { color: "purple", size: "m" };

type FrontMode = "status500" | "brokenBody" | "bareConflict" | "hang";

/** A stand-in central that misbehaves as told; requests it holds open are ended at teardown. */
function startFaultyCentral(): Promise<{ url: string; mode: FrontMode; close(): Promise<void> }> {
  const front = {
    url: "",
    mode: "status500" as FrontMode,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    req.resume();
    switch (front.mode) {
      case "status500":
        return json(res, 500, { error: { code: "INTERNAL", message: "internal error", requestId: "central" } });
      case "brokenBody":
        return json(res, 200, { ok: true, items: [{ sku, variantKey: blackM.variantKey, available: "plenty" }] });
      case "bareConflict":
        return json(res, 409, { message: "out of stock" });
      case "hang":
        return; // never answers: the shop's client must time out
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve(front);
    });
  });
}

/** A loopback URL on which nothing listens: the port was bound and released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function validate(server: RunningServer, items: unknown[]) {
  const response = await fetch(`${server.url}/v1/inventory/validate`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shop-id": shopId },
    body: JSON.stringify({ items }),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
}

const item = (quantity: number, variantAttributes: Record<string, string> = blackM.attributes) => ({
  sku,
  quantity,
  variantAttributes,
});

/** The fallback counter's total for one shop, over every reason. */
async function fallbacks(server: RunningServer, shop: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^central_inventory_fallback_total\{([^}]*)\} (\S+)$/.exec(line);
    if (match?.[1]?.includes(`shop="${shop}"`)) total += Number(match[2]);
  }
  return total;
}

const centralStock = async (sql: Sql) => {
  await sql`update stock set on_hand = ${CENTRAL_BLACK_M}
    where shop_id = ${shopId} and sku = ${sku} and variant_key = ${blackM.variantKey}`;
  await sql`insert into variants (shop_id, sku, variant_key, attributes, unit_amount)
    values (${shopId}, ${sku}, 'color:purple|size:m', ${sql.json(purpleM)}, 2900)`;
  await sql`insert into stock (shop_id, sku, variant_key, on_hand) values (${shopId}, ${sku}, 'color:purple|size:m', 5)`;
};

const requireCentral = (flag: boolean) => async (sql: Sql) => {
  await sql`update shops set requires_central_inventory = ${flag} where id = ${shopId}`;
};

interface ShopServers {
  reachable: RunningServer;
  closedPort: RunningServer;
  faulty: RunningServer;
}

let central: TestServer;
let faultyCentral: Awaited<ReturnType<typeof startFaultyCentral>>;
/** One database per flag value; the servers of both environments share it. */
const databases = new Map<boolean, TestServer>();
const shops = new Map<string, ShopServers>();
const extraServers: RunningServer[] = [];
const comboKey = (production: boolean, flag: boolean) => `${production}/${flag}`;

beforeAll(async () => {
  central = await startTestServer({ prepare: centralStock });
  faultyCentral = await startFaultyCentral();
  const closedUrl = await closedPortUrl();
  const logger = createLogger("silent");
  for (const flag of [true, false]) {
    const database = await startTestServer({ prepare: requireCentral(flag) });
    databases.set(flag, database);
    for (const production of [true, false]) {
      const on = async (centralInventoryUrl: string) => {
        const config = testConfig({ production, centralInventoryUrl });
        const server = await startServer({ config, logger, database: database.database });
        extraServers.push(server);
        return server;
      };
      shops.set(comboKey(production, flag), {
        reachable: await on(central.url),
        closedPort: await on(closedUrl),
        faulty: await on(faultyCentral.url),
      });
    }
  }
});

afterAll(async () => {
  await Promise.all(extraServers.map((server) => server.close()));
  await Promise.all([...databases.values()].map((database) => database.close()));
  await faultyCentral?.close();
  await central?.close();
});

const faults: { name: string; server: keyof ShopServers; mode?: FrontMode }[] = [
  { name: "refuses connections (closed port)", server: "closedPort" },
  { name: "never answers (client timeout)", server: "faulty", mode: "hang" },
  { name: "answers 500", server: "faulty", mode: "status500" },
  { name: "answers 200 with a body that breaks the contract", server: "faulty", mode: "brokenBody" },
  { name: "answers 409 without an INSUFFICIENT_STOCK envelope", server: "faulty", mode: "bareConflict" },
];
const byName = faults.map((fault) => [fault.name, fault] as const);

const combos = [
  { production: true, flag: true, label: "in production, for a shop that requires the central inventory" },
  { production: true, flag: false, label: "in production, for a shop that does not require it" },
  { production: false, flag: true, label: "in development, for a shop that requires the central inventory" },
  { production: false, flag: false, label: "in development, for a shop that does not require it" },
];

describe.each(combos.map((combo) => [combo.label, combo] as const))("%s", (_, { production, flag }) => {
  const failsClosed = production && flag;
  const servers = () => {
    const found = shops.get(comboKey(production, flag));
    if (!found) throw new Error("shop servers were not started");
    return found;
  };

  it("takes availability from the reachable central, not from local stock", async () => {
    const result = await validate(servers().reachable, [item(1)]);
    expect(result).toMatchObject({
      status: 200,
      body: { ok: true, items: [{ sku, variantKey: blackM.variantKey, requested: 1, available: CENTRAL_BLACK_M }] },
    });
  });

  it("refuses a quantity above the central's stock but within local stock with the central's numbers", async () => {
    const requested = CENTRAL_BLACK_M + 2;
    expect(requested).toBeLessThan(LOCAL_BLACK_M);
    const result = await validate(servers().reachable, [item(requested)]);
    expect(result).toMatchObject({
      status: 409,
      body: {
        error: {
          code: "INSUFFICIENT_STOCK",
          details: { items: [{ sku, variantKey: blackM.variantKey, requested, available: CENTRAL_BLACK_M }] },
        },
      },
    });
  });

  it("decides UNKNOWN_ITEM from the local catalog even for a variant the central sells", async () => {
    const result = await validate(servers().reachable, [item(1, purpleM)]);
    expect(result).toMatchObject({
      status: 400,
      body: { error: { code: "UNKNOWN_ITEM", details: { items: [{ sku, variantKey: "color:purple|size:m" }] } } },
    });
  });

  it("answers UNKNOWN_ITEM, not a central outage, for an unknown variant while the central is down", async () => {
    const result = await validate(servers().closedPort, [item(1, purpleM)]);
    expect(result).toMatchObject({ status: 400, body: { error: { code: "UNKNOWN_ITEM" } } });
  });

  const callThrough = async (fault: (typeof faults)[number]) => {
    if (fault.mode) faultyCentral.mode = fault.mode;
    const shop = servers()[fault.server];
    const before = await fallbacks(shop, shopId);
    const result = await validate(shop, [item(1)]);
    return { ...result, counted: (await fallbacks(shop, shopId)) - before };
  };

  if (failsClosed) {
    it.each(byName)(
      "fails closed with 503 INVENTORY_UNAVAILABLE and Retry-After when the central %s",
      async (_, fault) => {
        expect(await callThrough(fault)).toMatchObject({
          status: 503,
          retryAfter: expect.stringMatching(/^[1-9]\d*$/),
          body: { error: { code: "INVENTORY_UNAVAILABLE" } },
        });
      },
    );
  } else {
    it.each(byName)(
      "answers from local stock and counts one fallback for the shop when the central %s",
      async (_, fault) => {
        expect(await callThrough(fault)).toMatchObject({
          status: 200,
          body: { ok: true, items: [{ sku, variantKey: blackM.variantKey, requested: 1, available: LOCAL_BLACK_M }] },
          counted: 1,
        });
      },
    );
  }
});
