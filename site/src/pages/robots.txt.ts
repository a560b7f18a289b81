/** robots.txt, pointing at the sitemap on whatever SITE_URL the site was built for. */
import type { APIRoute } from "astro";

export const GET: APIRoute = ({ site }) => {
  const sitemap = new URL("/sitemap-index.xml", site ?? "http://localhost:4321").href;
  const body = `User-agent: *\nAllow: /\n\nSitemap: ${sitemap}\n`;
  return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
};
