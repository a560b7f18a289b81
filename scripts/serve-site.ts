/**
 * Serves the built storefront (site/dist) as any static host would: files as they are, `index.html`
 * for a folder, a redirect to add the trailing slash the site's URLs end with, and the site's 404 page.
 */
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { compress } from "hono/compress";

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

export async function serveSite(options: { root: string; port: number; hostname?: string }): Promise<SiteServer> {
  const app = new Hono()
    // Compressed like any real static host, so transfer sizes measured against it are honest.
    .use(compress())
    .use(async (c, next) => {
      const { pathname } = new URL(c.req.url);
      // /en/cart → /en/cart/ (the site's canonical form), as Netlify, Cloudflare Pages and nginx do.
      if (!pathname.endsWith("/") && !pathname.split("/").at(-1)?.includes(".")) {
        return c.redirect(`${pathname}/${new URL(c.req.url).search}`, 301);
      }
      await next();
    })
    .use(serveStatic({ root: options.root }))
    .notFound(async (c) => c.html(await readFile(`${options.root}/404.html`, "utf8").catch(() => "Not found"), 404));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? "localhost" }, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://localhost:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
