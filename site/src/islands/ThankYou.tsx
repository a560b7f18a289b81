/**
 * The payment's outcome, verified by the server: the cart is cleared only for a confirmed payment of
 * this very cart (the client decides), and every other outcome is explained in plain words.
 */
import type { Completion } from "@commerce/client";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { errorMessage } from "../i18n/errors.ts";
import { formatMoney, type Locale, type Messages, translatorFrom } from "../i18n/format.ts";
import { commerce } from "../lib/commerce.ts";

interface Props {
  locale: Locale;
  messages: Messages;
  cartPath: string;
  productsPath: string;
}

type View =
  | { state: "checking" }
  | { state: "missing" }
  | { state: "done"; completion: Completion }
  | { state: "failed"; text: string };

export default function ThankYou({ locale, messages, cartPath, productsPath }: Props) {
  const tr = translatorFrom(messages);
  const [view, setView] = useState<View>({ state: "checking" });
  const messageRef = useRef<HTMLDivElement>(null);
  const checked = useRef(0);

  async function check() {
    const sessionId = new URLSearchParams(location.search).get("session_id");
    if (!sessionId) return setView({ state: "missing" });
    setView({ state: "checking" });
    try {
      setView({ state: "done", completion: await commerce.completeCheckout(sessionId) });
    } catch (error) {
      setView({ state: "failed", text: errorMessage(tr, error) });
    }
    // The first answer is announced by the live region; after "check again" focus returns to it.
    if (checked.current++ > 0) requestAnimationFrame(() => messageRef.current?.focus());
  }

  useEffect(() => {
    void check();
  }, []);

  return (
    <div class="outcome">
      <div
        class="notice outcome-message"
        role="status"
        aria-live="polite"
        tabIndex={-1}
        ref={messageRef}
        data-testid="status-message"
      >
        {body()}
      </div>
      {actions()}
    </div>
  );

  function body() {
    if (view.state === "checking") return <p>{tr("thanks.checking")}</p>;
    if (view.state === "missing") return <p>{tr("thanks.missing")}</p>;
    if (view.state === "failed") return <p>{view.text}</p>;
    const { outcome, status } = view.completion;
    const orderId = status?.orderId ?? "–";
    const order = <strong data-testid="order-id">{orderId}</strong>;
    const total = status ? formatMoney(locale, status.amountTotal, status.currency) : "";
    switch (outcome) {
      case "cleared":
      case "already-cleared":
        return (
          <>
            <p class="outcome-lead" data-testid="outcome" data-outcome={outcome}>
              {withOrder(tr("thanks.paid", { orderId: "\u0000" }), order)}
            </p>
            <p data-testid="order-total">{tr("thanks.total", { total })}</p>
            <p>{tr("thanks.email")}</p>
          </>
        );
      case "not-this-cart":
        return (
          <>
            <p class="outcome-lead" data-testid="outcome" data-outcome={outcome}>
              {withOrder(tr("thanks.notThisCart", { orderId: "\u0000" }), order)}
            </p>
            <p data-testid="order-total">{tr("thanks.total", { total })}</p>
          </>
        );
      case "pending":
        return (
          <p data-testid="outcome" data-outcome={outcome}>
            {tr("thanks.pending")}
          </p>
        );
      case "unpaid":
        return (
          <p data-testid="outcome" data-outcome={outcome}>
            {tr("thanks.unpaid")}
          </p>
        );
      case "expired":
        return (
          <p data-testid="outcome" data-outcome={outcome}>
            {tr("thanks.expired")}
          </p>
        );
      default:
        return (
          <p data-testid="outcome" data-outcome={outcome}>
            {tr("thanks.unknown")}
          </p>
        );
    }
  }

  function actions() {
    const outcome = view.state === "done" ? view.completion.outcome : undefined;
    return (
      <div class="button-row">
        {(outcome === "pending" || view.state === "failed") && (
          <button type="button" class="button button-primary" data-testid="check-again" onClick={() => void check()}>
            {outcome === "pending" ? tr("thanks.checkAgain") : tr("thanks.retry")}
          </button>
        )}
        {(outcome === "unpaid" || outcome === "expired" || outcome === "unknown" || outcome === "not-this-cart") && (
          <a class="button button-primary" href={cartPath}>
            {tr("thanks.backToCart")}
          </a>
        )}
        <a class="button button-quiet" href={productsPath}>
          {tr("thanks.continue")}
        </a>
      </div>
    );
  }
}

/** Puts the order number element where the sentence has its placeholder. */
function withOrder(sentence: string, order: JSX.Element) {
  const [before, after] = sentence.split("\u0000");
  return (
    <>
      {before}
      {order}
      {after}
    </>
  );
}
