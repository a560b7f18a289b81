/**
 * Server-held carts against a real server on the seed data, over HTTP: what is stored (identifiers and
 * quantities only), what every read hydrates (current prices, titles, availability), the set-not-add
 * rule, the limits, and that a cart id is an unguessable bearer token scoped to its shop.
 */
import { type Cart, cartIdSchema, cartSchema, variantKey } from "@commerce/contracts/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { newCartId } from "../src/carts/cart-store.ts";
import { seedShops } from "../src/db/seed-data.ts";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.ts";

const classic = "cf-headband-classic";
const kids = "cf-headband-kids";
const black = { color: "black", size: "m" };
const blackKey = "color:black|size:m";
const sky = { color: "sky", size: "xs" };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

async function call(method: string, path: string, options: { shopId?: string; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      "x-shop-id": options.shopId ?? "cochlearfit",
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** The cart in a 200/201 answer, checked against the contract; anything else fails with the answer. */
function cartOf(answer: Answer, status = 200): Cart {
  expect(answer.status, answer.text).toBe(status);
  const parsed = z.safeParse(cartSchema, answer.body);
  expect(parsed.error?.issues, answer.text).toBeUndefined();
  return parsed.data as Cart;
}

const errorCode = (answer: Answer) => (answer.body as { error?: { code?: string } } | undefined)?.error?.code;

async function create(lines?: unknown[], shopId?: string): Promise<Cart> {
  return cartOf(await call("POST", "/v1/carts", { body: lines ? { lines } : {}, ...(shopId ? { shopId } : {}) }), 201);
}
const get = (cartId: string, shopId?: string) => call("GET", `/v1/carts/${cartId}`, shopId ? { shopId } : {});
const put = (cartId: string, item: unknown, shopId?: string) =>
  call("PUT", `/v1/carts/${cartId}/lines`, { body: item, ...(shopId ? { shopId } : {}) });
const clear = (cartId: string, shopId?: string) => call("DELETE", `/v1/carts/${cartId}`, shopId ? { shopId } : {});

const quantities = (cart: Cart) => cart.lines.map((line) => [line.sku, line.variantKey, line.quantity]);

function seeded(sku: string, attributes: Record<string, string>) {
  const product = seedShops.flatMap((shop) => shop.products).find((p) => p.sku === sku);
  const variant = product?.variants.find((v) => variantKey(v.attributes) === variantKey(attributes));
  if (!product || !variant) throw new Error(`no seeded ${sku} ${variantKey(attributes)}`);
  return { title: product.title.en, unitAmount: variant.unitAmount, stock: variant.stock };
}

/** Every variant cochlearfit sells, as items (54 of them). */
const allVariants = seedShops
  .filter((shop) => shop.id === "cochlearfit")
  .flatMap((shop) =>
    shop.products.flatMap((p) => p.variants.map((v) => ({ sku: p.sku, variantAttributes: v.attributes }))),
  );

describe("creating a cart", () => {
  it("answers 201 with an empty cart in the shop's currency when no lines are sent", async () => {
    const answer = await call("POST", "/v1/carts", { body: {} });
    const cart = cartOf(answer, 201);
    expect({ currency: cart.currency, lines: cart.lines, subtotal: cart.subtotal }).toEqual({
      currency: "eur",
      lines: [],
      subtotal: 0,
    });
    expect(answer.headers.get("location")).toBe(`/v1/carts/${cart.cartId}`);
  });

  it("hydrates each line with the catalog's title, attributes, price and availability", async () => {
    const cart = await create([
      { sku: classic, quantity: 2, variantAttributes: black },
      { sku: kids, quantity: 3, variantAttributes: sky },
    ]);
    const c = seeded(classic, black);
    const k = seeded(kids, sky);
    expect(cart.lines).toEqual([
      {
        sku: classic,
        variantKey: blackKey,
        attributes: black,
        title: c.title,
        quantity: 2,
        unitAmount: c.unitAmount,
        depositAmount: 0,
        lineTotal: 2 * c.unitAmount,
        available: c.stock,
      },
      {
        sku: kids,
        variantKey: "color:sky|size:xs",
        attributes: sky,
        title: k.title,
        quantity: 3,
        unitAmount: k.unitAmount,
        depositAmount: 0,
        lineTotal: 3 * k.unitAmount,
        available: k.stock,
      },
    ]);
    expect(cart.subtotal).toBe(2 * c.unitAmount + 3 * k.unitAmount);
  });

  it("ignores price-like fields a client sends in items", async () => {
    const cart = await create([
      { sku: classic, quantity: 2, variantAttributes: black, unitAmount: 1, price: 1, lineTotal: 2, subtotal: 2 },
    ]);
    expect(cart.lines.map((l) => [l.unitAmount, l.lineTotal])).toEqual([
      [seeded(classic, black).unitAmount, 2 * seeded(classic, black).unitAmount],
    ]);
    expect(cart.subtotal).toBe(2 * seeded(classic, black).unitAmount);
  });

  it("merges the same variant named twice into one line with the quantities added up", async () => {
    const cart = await create([
      { sku: classic, quantity: 2, variantAttributes: black },
      { sku: classic, quantity: 5, variantKey: blackKey },
    ]);
    expect(quantities(cart)).toEqual([[classic, blackKey, 7]]);
  });

  it("refuses a merged quantity over 99 with 400 VALIDATION_FAILED", async () => {
    const answer = await call("POST", "/v1/carts", {
      body: {
        lines: [
          { sku: classic, quantity: 60, variantAttributes: black },
          { sku: classic, quantity: 40, variantAttributes: black },
        ],
      },
    });
    expect([answer.status, errorCode(answer)]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("accepts a line named by the deprecated variantKey alone", async () => {
    const cart = await create([{ sku: classic, quantity: 1, variantKey: blackKey }]);
    expect(cart.lines.map((l) => [l.variantKey, l.attributes])).toEqual([[blackKey, black]]);
  });

  it("refuses a variantKey that disagrees with variantAttributes with 400 VARIANT_KEY_MISMATCH", async () => {
    const answer = await call("POST", "/v1/carts", {
      body: { lines: [{ sku: classic, quantity: 1, variantAttributes: black, variantKey: "color:navy|size:m" }] },
    });
    expect([answer.status, errorCode(answer)]).toEqual([400, "VARIANT_KEY_MISMATCH"]);
  });

  it("refuses variants the shop does not sell with 400 UNKNOWN_ITEM naming each, and stores no cart", async () => {
    const before = await server.sql<{ n: number }[]>`select count(*)::int as n from carts`;
    const answer = await call("POST", "/v1/carts", {
      body: {
        lines: [
          { sku: classic, quantity: 1, variantAttributes: black },
          { sku: classic, quantity: 1, variantAttributes: { color: "purple", size: "m" } },
          { sku: "cmp-coil-cover", quantity: 1, variantAttributes: { color: "white" } },
        ],
      },
    });
    expect([answer.status, errorCode(answer)]).toEqual([400, "UNKNOWN_ITEM"]);
    expect((answer.body as { error: { details: unknown } }).error.details).toEqual({
      items: [
        { sku: classic, variantKey: "color:purple|size:m" },
        { sku: "cmp-coil-cover", variantKey: "color:white" },
      ],
    });
    const after = await server.sql<{ n: number }[]>`select count(*)::int as n from carts`;
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it("accepts more than is in stock, showing what is available (checkout enforces stock)", async () => {
    const soldOut = { color: "rose", size: "l" };
    const cart = await create([{ sku: classic, quantity: 5, variantAttributes: soldOut }]);
    expect(cart.lines.map((l) => [l.quantity, l.available])).toEqual([[5, 0]]);
  });

  it("lists lines added together by sku and variant key, and later lines after them", async () => {
    const cart = await create([
      { sku: kids, quantity: 1, variantAttributes: sky },
      { sku: classic, quantity: 1, variantAttributes: { color: "navy", size: "s" } },
      { sku: classic, quantity: 1, variantAttributes: black },
    ]);
    expect(cart.lines.map((l) => `${l.sku} ${l.variantKey}`)).toEqual([
      `${classic} ${blackKey}`,
      `${classic} color:navy|size:s`,
      `${kids} color:sky|size:xs`,
    ]);
    const later = cartOf(
      await put(cart.cartId, { sku: "cf-headband-bilateral", quantity: 1, variantAttributes: black }),
    );
    expect(later.lines.map((l) => l.sku)).toEqual([classic, classic, kids, "cf-headband-bilateral"]);
    expect(cartOf(await get(cart.cartId)).lines).toEqual(later.lines);
  });
});

describe("storage holds identifiers only", () => {
  it("has no price column in cart_lines, and stores exactly sku, variant key and quantity", async () => {
    const cart = await create([{ sku: classic, quantity: 2, variantAttributes: black, unitAmount: 1 }]);
    const columns = await server.sql<{ name: string }[]>`
      select column_name as name from information_schema.columns
      where table_name = 'cart_lines' and table_schema = current_schema() order by ordinal_position`;
    expect(columns.map((c) => c.name)).toEqual(["cart_id", "sku", "variant_key", "quantity", "added_at"]);
    const rows = await server.sql`select sku, variant_key, quantity from cart_lines where cart_id = ${cart.cartId}`;
    expect([...rows]).toEqual([{ sku: classic, variant_key: blackKey, quantity: 2 }]);
  });

  it("shows a price changed in the catalog on the next read", async () => {
    const slim = "cf-headband-slim";
    const sand = { color: "sand", size: "m" };
    const cart = await create([{ sku: slim, quantity: 3, variantAttributes: sand }]);
    expect(cart.lines[0]?.unitAmount).toBe(seeded(slim, sand).unitAmount);
    await server.sql`update variants set unit_amount = 1999
      where shop_id = 'cochlearfit' and sku = ${slim} and variant_key = ${variantKey(sand)}`;
    const after = cartOf(await get(cart.cartId));
    expect(after.lines.map((l) => [l.unitAmount, l.lineTotal])).toEqual([[1999, 3 * 1999]]);
    expect(after.subtotal).toBe(3 * 1999);
  });

  it("shows availability from current stock on every read", async () => {
    const sport = "cf-headband-sport";
    const lime = { color: "lime", size: "xl" };
    const where = server.sql`shop_id = 'cochlearfit' and sku = ${sport} and variant_key = ${variantKey(lime)}`;
    const cart = await create([{ sku: sport, quantity: 4, variantAttributes: lime }]);
    expect(cart.lines[0]?.available).toBe(seeded(sport, lime).stock);
    await server.sql`update stock set on_hand = 2 where ${where}`;
    expect(cartOf(await get(cart.cartId)).lines[0]?.available).toBe(2);
    await server.sql`update stock set on_hand = 20, held = 15 where ${where}`;
    expect(cartOf(await get(cart.cartId)).lines[0]?.available).toBe(5);
    await server.sql`update stock set on_hand = 0, held = 0 where ${where}`;
    const soldOut = cartOf(await get(cart.cartId));
    expect(soldOut.lines.map((l) => [l.quantity, l.available])).toEqual([[4, 0]]);
  });

  it("leaves out a stored line the shop no longer sells, and still lets it be removed", async () => {
    const cart = await create([{ sku: classic, quantity: 1, variantAttributes: black }]);
    await server.sql`insert into cart_lines (cart_id, sku, variant_key, quantity)
      values (${cart.cartId}, ${classic}, 'color:discontinued|size:m', 2)`;
    const read = cartOf(await get(cart.cartId));
    expect({ lines: quantities(read), subtotal: read.subtotal }).toEqual({
      lines: [[classic, blackKey, 1]],
      subtotal: seeded(classic, black).unitAmount,
    });
    cartOf(await put(cart.cartId, { sku: classic, quantity: 0, variantKey: "color:discontinued|size:m" }));
    const rows = await server.sql`select variant_key from cart_lines where cart_id = ${cart.cartId}`;
    expect(rows.map((r) => r.variant_key)).toEqual([blackKey]);
  });
});

describe("setting a line", () => {
  it("sets the quantity rather than adding to it", async () => {
    const cart = await create([{ sku: classic, quantity: 2, variantAttributes: black }]);
    expect(quantities(cartOf(await put(cart.cartId, { sku: classic, quantity: 5, variantAttributes: black })))).toEqual(
      [[classic, blackKey, 5]],
    );
    expect(quantities(cartOf(await put(cart.cartId, { sku: classic, quantity: 5, variantAttributes: black })))).toEqual(
      [[classic, blackKey, 5]],
    );
    expect(quantities(cartOf(await get(cart.cartId)))).toEqual([[classic, blackKey, 5]]);
  });

  it("adds a variant not yet in the cart", async () => {
    const cart = await create([{ sku: classic, quantity: 1, variantAttributes: black }]);
    const after = cartOf(await put(cart.cartId, { sku: kids, quantity: 2, variantAttributes: sky }));
    expect(quantities(after)).toEqual([
      [classic, blackKey, 1],
      [kids, "color:sky|size:xs", 2],
    ]);
    expect(after.subtotal).toBe(seeded(classic, black).unitAmount + 2 * seeded(kids, sky).unitAmount);
  });

  it("removes the line with quantity 0, and is a no-op for a variant not in the cart", async () => {
    const cart = await create([
      { sku: classic, quantity: 1, variantAttributes: black },
      { sku: kids, quantity: 1, variantAttributes: sky },
    ]);
    const after = cartOf(await put(cart.cartId, { sku: classic, quantity: 0, variantAttributes: black }));
    expect(quantities(after)).toEqual([[kids, "color:sky|size:xs", 1]]);
    const again = cartOf(await put(cart.cartId, { sku: classic, quantity: 0, variantAttributes: black }));
    expect(quantities(again)).toEqual([[kids, "color:sky|size:xs", 1]]);
  });

  it("touches the cart's updated_at", async () => {
    const cart = await create();
    const at = async () =>
      (await server.sql<{ at: Date }[]>`select updated_at as at from carts where id = ${cart.cartId}`)[0]?.at;
    const before = await at();
    cartOf(await put(cart.cartId, { sku: classic, quantity: 1, variantAttributes: black }));
    expect((await at())?.getTime()).toBeGreaterThan(before?.getTime() ?? Number.POSITIVE_INFINITY);
  });

  it("accepts a variant named by the deprecated variantKey alone", async () => {
    const cart = await create();
    const after = cartOf(await put(cart.cartId, { sku: classic, quantity: 3, variantKey: blackKey }));
    expect(quantities(after)).toEqual([[classic, blackKey, 3]]);
  });

  it("refuses a variantKey that disagrees with variantAttributes with 400 VARIANT_KEY_MISMATCH", async () => {
    const cart = await create();
    const answer = await put(cart.cartId, {
      sku: classic,
      quantity: 1,
      variantAttributes: black,
      variantKey: "color:navy|size:m",
    });
    expect([answer.status, errorCode(answer)]).toEqual([400, "VARIANT_KEY_MISMATCH"]);
  });

  it("refuses to add a variant the shop does not sell with 400 UNKNOWN_ITEM", async () => {
    const cart = await create();
    const unknownSku = await put(cart.cartId, { sku: "cf-no-such-thing", quantity: 1, variantAttributes: black });
    const otherShops = await put(cart.cartId, {
      sku: "cmp-coil-cover",
      quantity: 1,
      variantAttributes: { color: "white" },
    });
    expect([unknownSku, otherShops].map((a) => [a.status, errorCode(a)])).toEqual([
      [400, "UNKNOWN_ITEM"],
      [400, "UNKNOWN_ITEM"],
    ]);
    expect(cartOf(await get(cart.cartId)).lines).toEqual([]);
  });

  it("refuses quantities outside 0..99 with 400 VALIDATION_FAILED", async () => {
    const cart = await create();
    const answers = await Promise.all(
      [100, -1, 1.5].map((quantity) => put(cart.cartId, { sku: classic, quantity, variantAttributes: black })),
    );
    expect(answers.map((a) => [a.status, errorCode(a)])).toEqual([
      [400, "VALIDATION_FAILED"],
      [400, "VALIDATION_FAILED"],
      [400, "VALIDATION_FAILED"],
    ]);
  });
});

describe("the 50-line limit", () => {
  const fifty = allVariants.slice(0, 50).map((item) => ({ ...item, quantity: 1 }));
  const [fiftyFirst, fiftySecond] = allVariants.slice(50).map((item) => ({ ...item, quantity: 1 }));

  it("lets a cart be created with 50 lines and refuses 51 with 400 VALIDATION_FAILED", async () => {
    expect((await create(fifty)).lines).toHaveLength(50);
    const answer = await call("POST", "/v1/carts", { body: { lines: [...fifty, fiftyFirst] } });
    expect([answer.status, errorCode(answer)]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("refuses a 51st line but still lets a full cart's lines be changed and removed", async () => {
    const cart = await create(fifty);
    const refused = await put(cart.cartId, fiftyFirst);
    expect([refused.status, errorCode(refused)]).toEqual([400, "VALIDATION_FAILED"]);
    expect(cartOf(await get(cart.cartId)).lines).toHaveLength(50);
    const [first] = fifty;
    if (!first) throw new Error("the seed sells fewer than 50 variants");
    const firstKey = variantKey(first.variantAttributes);
    const changed = cartOf(await put(cart.cartId, { ...first, quantity: 7 }));
    expect(quantities(changed).filter(([sku, key]) => sku === first.sku && key === firstKey)).toEqual([
      [first.sku, firstKey, 7],
    ]);
    expect(cartOf(await put(cart.cartId, { ...first, quantity: 0 })).lines).toHaveLength(49);
    expect(cartOf(await put(cart.cartId, fiftyFirst)).lines).toHaveLength(50);
  });

  // The limit is counted under the cart row's lock. PGlite serves one query at a time, so only a real
  // PostgreSQL can run two writes at once: the test holds the lock itself until both wait on it.
  // On the embedded database the race cannot happen, so the test is not registered there at all.
  const onPostgres = testDatabaseKind() === "postgres" ? it : undefined;
  onPostgres?.("lets exactly one of two racing additions take the 50th line", async () => {
    const cart = await create(fifty.slice(0, 49));
    const barrier = await server.sql.reserve();
    try {
      await barrier`begin`;
      await barrier`select id from carts where id = ${cart.cartId} for update`;
      const racing = [put(cart.cartId, fiftyFirst), put(cart.cartId, fiftySecond)];
      await waitFor(async () => {
        const [row] = await server.sql<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`;
        return row?.n === 2;
      });
      await barrier`commit`;
      const answers = await Promise.all(racing);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    } finally {
      barrier.release();
    }
    expect(cartOf(await get(cart.cartId)).lines).toHaveLength(50);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting for the racing requests to block");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("clearing a cart", () => {
  it("answers 204 with no body, and the cart id stays valid for an empty cart", async () => {
    const cart = await create([{ sku: classic, quantity: 2, variantAttributes: black }]);
    const answer = await clear(cart.cartId);
    expect([answer.status, answer.text]).toEqual([204, ""]);
    const after = cartOf(await get(cart.cartId));
    expect({ cartId: after.cartId, lines: after.lines, subtotal: after.subtotal }).toEqual({
      cartId: cart.cartId,
      lines: [],
      subtotal: 0,
    });
    expect(quantities(cartOf(await put(cart.cartId, { sku: kids, quantity: 1, variantAttributes: sky })))).toEqual([
      [kids, "color:sky|size:xs", 1],
    ]);
  });

  it("answers 204 for a cart that is already empty", async () => {
    const cart = await create();
    expect((await clear(cart.cartId)).status).toBe(204);
  });
});

describe("cart ids", () => {
  it("are cart_ and 24 base64url characters (18 random bytes), accepted by cartIdSchema", async () => {
    const ids = [(await create()).cartId, ...Array.from({ length: 20 }, newCartId)];
    const bad = ids.filter(
      (id) =>
        !/^cart_[A-Za-z0-9_-]{24}$/.test(id) ||
        Buffer.from(id.slice(5), "base64url").length !== 18 ||
        !z.safeParse(cartIdSchema, id).success,
    );
    expect(bad).toEqual([]);
  });

  it("do not repeat over 1000 draws", () => {
    expect(new Set(Array.from({ length: 1000 }, newCartId)).size).toBe(1000);
  });

  it("are distinct for carts created one after another", async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, async () => (await create()).cartId));
    expect(new Set(ids).size).toBe(10);
  });
});

describe("a cart that is not found", () => {
  it("is 404 CART_NOT_FOUND for an unknown id and for a malformed one, on every method", async () => {
    const item = { sku: classic, quantity: 1, variantAttributes: black };
    const ids = ["cart_AAAAAAAAAAAAAAAAAAAAAAAA", "not-a-cart", "cart_", "cart_short", `cart_${"x".repeat(65)}`];
    const answers = await Promise.all(ids.flatMap((id) => [get(id), put(id, item), clear(id)]));
    expect(new Set(answers.map((a) => `${a.status} ${errorCode(a)}`))).toEqual(new Set(["404 CART_NOT_FOUND"]));
  });

  it("gives a malformed id the same answer as an unknown one even when the body is bad", async () => {
    const bad = { sku: classic, quantity: 100, variantAttributes: black };
    const answers = await Promise.all([put("cart_AAAAAAAAAAAAAAAAAAAAAAAA", bad), put("not-a-cart", bad)]);
    expect(answers.map((a) => [a.status, errorCode(a)])).toEqual([
      [400, "VALIDATION_FAILED"],
      [400, "VALIDATION_FAILED"],
    ]);
  });

  it("is 404 CART_NOT_FOUND, never 403, for another shop's cart, which stays untouched", async () => {
    const theirs = await create(
      [{ sku: "cmp-coil-cover", quantity: 2, variantAttributes: { color: "white" } }],
      "cover-me-pretty",
    );
    const answers = [
      await get(theirs.cartId),
      await put(theirs.cartId, { sku: classic, quantity: 1, variantAttributes: black }),
      await put(
        theirs.cartId,
        { sku: "cmp-coil-cover", quantity: 0, variantAttributes: { color: "white" } },
        "cochlearfit",
      ),
      await clear(theirs.cartId),
    ];
    expect(answers.map((a) => `${a.status} ${errorCode(a)}`)).toEqual(Array(4).fill("404 CART_NOT_FOUND"));
    expect(cartOf(await get(theirs.cartId, "cover-me-pretty"))).toEqual(theirs);
  });
});
