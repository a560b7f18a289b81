/**
 * The hosted checkout page, server-rendered HTML without scripts: readable on a phone, usable with a
 * keyboard and a screen reader. It stands in for checkout.stripe.com, so it offers what a tester needs
 * (pay now, pay later with either result, cancel) rather than a card form.
 */

import type { CheckoutSessionObject } from "./objects.ts";
import type { LineItem } from "./session-params.ts";

export interface CheckoutPage {
  session: CheckoutSessionObject;
  lineItems: readonly LineItem[];
  /** Where the forms post to. */
  action: string;
  /** How long a "pay later" payment takes to succeed or fail. */
  asyncDelayMs: number;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Formats integer minor units in the session's currency, at the edge only, as everywhere else. */
export function formatAmount(minor: number, currency: string, locale: string | null): string {
  const tag = locale && Intl.NumberFormat.supportedLocalesOf(locale).length > 0 ? locale : "en";
  const format = new Intl.NumberFormat(tag, { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

export function renderCheckoutPage(page: CheckoutPage): string {
  const { session } = page;
  const money = (minor: number) => escapeHtml(formatAmount(minor, session.currency, session.locale));
  const total = money(session.amount_total);
  const rows = page.lineItems
    .map(
      (line) =>
        `<tr><th scope="row">${escapeHtml(line.name)}</th><td>${line.quantity}</td><td>${money(line.unitAmount * line.quantity)}</td></tr>`,
    )
    .join("\n          ");
  const cancel = session.cancel_url
    ? `<p class="cancel"><a href="${escapeHtml(session.cancel_url)}">Cancel and return to the shop</a></p>`
    : "";
  const seconds = Math.round(page.asyncDelayMs / 1000);
  const action = escapeHtml(page.action);
  return layout(
    `Pay ${total}`,
    `<h1>Pay ${total}</h1>
      <table>
        <caption>Your order</caption>
        <thead><tr><th scope="col">Item</th><th scope="col">Qty</th><th scope="col">Amount</th></tr></thead>
        <tbody>
          ${rows}
        </tbody>
        <tfoot><tr><th scope="row" colspan="2">Total</th><td>${total}</td></tr></tfoot>
      </table>
      <form method="post" action="${action}">
        <button type="submit" name="outcome" value="paid">Pay ${total}</button>
      </form>
      <form method="post" action="${action}">
        <fieldset>
          <legend>Pay later (asynchronous payment)</legend>
          <p>The order completes now, unpaid; the payment's result arrives in about ${seconds} s.</p>
          <button type="submit" name="outcome" value="async_succeeds" class="secondary">Pay later: succeeds later</button>
          <button type="submit" name="outcome" value="async_fails" class="secondary">Pay later: fails later</button>
        </fieldset>
      </form>
      ${cancel}`,
  );
}

export function renderMessagePage(title: string, message: string, backUrl: string | null): string {
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">Return to the shop</a></p>` : "";
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n      <p>${escapeHtml(message)}</p>\n      ${back}`);
}

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>${escapeHtml(title)} · Stripe stand-in</title>
    <style>
      :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
      body { margin: 0; padding: 1rem; }
      main { max-width: 32rem; margin: 0 auto; }
      .mode { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.25rem; background: #fde68a; color: #713f12; font-size: 0.875rem; }
      h1 { font-size: 1.5rem; margin: 0.75rem 0; }
      table { width: 100%; border-collapse: collapse; margin-bottom: 1.5rem; }
      caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
      th, td { padding: 0.5rem 0.25rem; border-bottom: 1px solid #8884; text-align: left; }
      td:last-child { text-align: right; white-space: nowrap; }
      tfoot th, tfoot td { font-weight: 700; border-bottom: 0; }
      form { margin: 0 0 1rem; }
      fieldset { border: 1px solid #8886; border-radius: 0.5rem; padding: 0.75rem; }
      button { display: block; width: 100%; min-height: 3rem; margin: 0.5rem 0; border: 0; border-radius: 0.5rem; font: inherit; font-weight: 600; background: #4f46e5; color: #fff; cursor: pointer; }
      button.secondary { background: #e0e7ff; color: #312e81; }
      button:focus-visible, a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
      .cancel { text-align: center; }
    </style>
  </head>
  <body>
    <main>
      <p class="mode">Test mode: local Stripe stand-in, no real payment</p>
      ${main}
    </main>
  </body>
</html>
`;
}
