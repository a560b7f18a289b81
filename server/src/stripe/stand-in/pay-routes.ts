/**
 * The hosted checkout page's routes: show the session at its `url`, take the shopper's choice, and send
 * them back to the shop (303 to `success_url`, with `{CHECKOUT_SESSION_ID}` filled in as Stripe does).
 * The redirect does not wait for the webhook: the shop's thank-you page meets the same race as in
 * production.
 */

import { renderCheckoutPage, renderMessagePage } from "./hosted-page.ts";
import { type Route, readBody, redirect, sendHtml } from "./http.ts";
import { SessionStateError, type SessionStore, type StoredSession } from "./sessions.ts";
import type { TimerSet } from "./timers.ts";

export interface PayDeps {
  sessions: SessionStore;
  timers: TimerSet;
  asyncDelayMs: number;
}

export const PAGE_PATH = "/pay";

const OUTCOMES = ["paid", "async_succeeds", "async_fails"] as const;
type Outcome = (typeof OUTCOMES)[number];

export function payRoutes(deps: PayDeps): Route[] {
  return [
    {
      method: "GET",
      path: `${PAGE_PATH}/:id`,
      handler: ({ res, params: { id = "" } }) => {
        const session = deps.sessions.find(id);
        if (session?.status !== "open") return unavailable(res, session);
        sendHtml(
          res,
          200,
          renderCheckoutPage({
            session: deps.sessions.toObject(session),
            lineItems: session.params.lineItems,
            action: `${PAGE_PATH}/${encodeURIComponent(id)}`,
            asyncDelayMs: deps.asyncDelayMs,
          }),
        );
      },
    },
    {
      method: "POST",
      path: `${PAGE_PATH}/:id`,
      handler: async ({ req, res, params: { id = "" } }) => {
        const outcome = new URLSearchParams((await readBody(req)) ?? "").get("outcome");
        if (!OUTCOMES.includes(outcome as Outcome)) {
          return sendHtml(
            res,
            400,
            renderMessagePage("Choose how to pay", "Go back and press one of the buttons.", null),
          );
        }
        const session = deps.sessions.find(id);
        // Paying an expired or completed session changes nothing and announces nothing.
        if (session?.status !== "open") return unavailable(res, session);
        const paid = outcome === "paid";
        void deps.sessions.pay(id, paid ? "paid" : "async").delivered;
        if (!paid)
          deps.timers.later(deps.asyncDelayMs, () => settleLater(deps.sessions, id, outcome === "async_succeeds"));
        redirect(res, session.params.successUrl.replaceAll("{CHECKOUT_SESSION_ID}", encodeURIComponent(id)));
      },
    },
  ];
}

/** The delayed result of a "pay later" choice; a test may already have settled it through the control API. */
function settleLater(sessions: SessionStore, id: string, succeeded: boolean): void {
  try {
    void sessions.asyncResult(id, succeeded).delivered;
  } catch (error) {
    if (!(error instanceof SessionStateError)) throw error;
  }
}

function unavailable(res: Parameters<typeof sendHtml>[0], session: StoredSession | undefined): void {
  const back = session?.params.cancelUrl ?? null;
  const [status, title, message] = !session
    ? [404, "Checkout not found", "There is no checkout session at this address."]
    : session.status === "expired"
      ? [410, "This checkout has expired", "Start the checkout again from the shop."]
      : [409, "Already paid", "This checkout session is already complete; nothing more is due."];
  sendHtml(res, status, renderMessagePage(title, message, back));
}
