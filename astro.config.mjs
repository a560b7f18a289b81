// The CochlearFit storefront's build: static HTML from site/, Preact islands, a bilingual sitemap.
import preact from "@astrojs/preact";
import sitemap from "@astrojs/sitemap";

const site = process.env.SITE_URL ?? "http://localhost:4321";

// Sections whose slug differs between the languages; the sitemap links each page to its translation.
const sections = [["products", "produkte"]];
// Pages a search engine has no use for (cart, payment outcome, duplicates kept for the server's fixed URLs).
const unlisted = /\/(cart|warenkorb|thank-you)\/$/;

/** The English and German addresses of one page, from either of them. */
function alternates(url) {
  const { pathname } = new URL(url);
  const match = /^\/(en|de)\/(.*)$/.exec(pathname);
  if (!match) return undefined;
  const [, locale, rest] = match;
  let en = rest;
  let de = rest;
  for (const [enSlug, deSlug] of sections) {
    if (locale === "en" && rest.startsWith(`${enSlug}/`)) de = deSlug + rest.slice(enSlug.length);
    if (locale === "de" && rest.startsWith(`${deSlug}/`)) en = enSlug + rest.slice(deSlug.length);
  }
  return { en: new URL(`/en/${en}`, site).href, de: new URL(`/de/${de}`, site).href };
}

/** @type {import("astro").AstroUserConfig} */
export default {
  srcDir: "./site/src",
  publicDir: "./site/public",
  outDir: "./site/dist",
  output: "static",
  site,
  trailingSlash: "always",
  build: { format: "directory" },
  integrations: [
    preact(),
    sitemap({
      i18n: { defaultLocale: "en", locales: { en: "en", de: "de" } },
      filter: (page) => !unlisted.test(new URL(page).pathname) && new URL(page).pathname !== "/",
      serialize(item) {
        const pair = alternates(item.url);
        if (!pair) return item;
        item.links = [
          { lang: "en", url: pair.en },
          { lang: "de", url: pair.de },
          { lang: "x-default", url: pair.en },
        ];
        return item;
      },
    }),
  ],
};
