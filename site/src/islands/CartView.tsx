/**
 * The cart page: lines with steppers and remove buttons, the server's subtotal, an optional coupon
 * and the checkout button. The cart lives in the commerce client, so a cancelled checkout comes
 * back to it unchanged.
 */
import type { CartViewLine } from "@commerce/client";
import type { CheckoutSession } from "@commerce/contracts/v1";
import { useStore } from "@nanostores/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { type Notice, NoticeBox } from "../components/NoticeBox.tsx";
import { QuantityStepper } from "../components/QuantityStepper.tsx";
import { errorMessage } from "../i18n/errors.ts";
import { formatMoney, type Locale, type Messages, translatorFrom } from "../i18n/format.ts";
import { commerce } from "../lib/commerce.ts";
import { attributesOf, variantText } from "../lib/variants.ts";

interface Props {
  locale: Locale;
  messages: Messages;
  /** Product titles and page paths by sku, in this language. */
  titles: Record<string, string>;
  paths: Record<string, string>;
  productsPath: string;
  /** The page's heading, which takes focus after a line is removed. */
  headingId: string;
}

interface PriceCheck {
  total: string;
  answer: (proceed: boolean) => void;
}

const couponPattern = /^[A-Za-z0-9_-]{1,64}$/;

export default function CartView({ locale, messages, titles, paths, productsPath, headingId }: Props) {
  const tr = translatorFrom(messages);
  const cart = useStore(commerce.$cart);
  const status = useStore(commerce.$status);
  const [notice, setNotice] = useState<Notice>(undefined);
  const [coupon, setCoupon] = useState("");
  const [priceCheck, setPriceCheck] = useState<PriceCheck | undefined>(undefined);
  const noticeRef = useRef<HTMLDivElement>(null);
  const priceRef = useRef<HTMLDivElement>(null);
  const [mounted, setMounted] = useState(false);
  const busy = status.state === "loading" || status.state === "checking-out";
  const currency = cart.currency ?? "eur";

  useEffect(() => {
    setMounted(true);
    commerce.refresh().catch((error: unknown) => fail(error));
  }, []);

  useEffect(() => {
    if (priceCheck) priceRef.current?.focus();
  }, [priceCheck]);

  const titleOf = (sku: string, fallback?: string) => titles[sku] ?? fallback ?? sku;
  const nameItem = (sku: string, key: string) => `${titleOf(sku)} (${variantText(tr, attributesOf(key))})`;

  function fail(error: unknown) {
    setNotice({ kind: "error", text: errorMessage(tr, error, nameItem) });
    requestAnimationFrame(() => noticeRef.current?.focus());
  }

  async function change(line: CartViewLine, quantity: number) {
    setNotice(undefined);
    try {
      await commerce.setQuantity({ sku: line.sku, attributes: line.attributes }, quantity);
      setNotice({ kind: "ok", text: tr("cart.updated") });
    } catch (error) {
      fail(error);
    }
  }

  async function remove(line: CartViewLine) {
    setNotice(undefined);
    try {
      await commerce.removeItem({ sku: line.sku, attributes: line.attributes });
      setNotice({ kind: "ok", text: tr("cart.removed", { title: titleOf(line.sku, line.title) }) });
      document.getElementById(headingId)?.focus();
    } catch (error) {
      fail(error);
    }
  }

  function confirmPriceChange(session: CheckoutSession): Promise<boolean> {
    return new Promise((resolve) => {
      const total = formatMoney(locale, session.amountTotal, session.currency);
      setPriceCheck({
        total,
        answer: (proceed) => {
          setPriceCheck(undefined);
          resolve(proceed);
        },
      });
    });
  }

  async function checkout(event: Event) {
    event.preventDefault();
    setNotice(undefined);
    const code = coupon.trim().toUpperCase();
    if (code && !couponPattern.test(code)) {
      setNotice({ kind: "error", text: tr("error.INVALID_COUPON") });
      requestAnimationFrame(() => noticeRef.current?.focus());
      return;
    }
    try {
      const result = await commerce.checkout({ locale, confirmPriceChange, ...(code ? { couponCode: code } : {}) });
      if (!result.redirected) {
        setNotice({ kind: "ok", text: tr("cart.priceDeclined") });
        document.getElementById(headingId)?.focus();
      }
    } catch (error) {
      fail(error);
    }
  }

  const noticeBox = <NoticeBox notice={notice} noticeRef={noticeRef} />;

  // The cart is in this browser only: the build-time HTML cannot know it.
  if (!mounted) return <p class="cart muted">{tr("cart.loading")}</p>;

  if (cart.lines.length === 0) {
    return (
      <div class="cart cart-empty" data-testid="cart-empty">
        {noticeBox}
        <p>{tr("cart.empty")}</p>
        <p>
          <a class="button button-primary" href={productsPath}>
            {tr("cart.browse")}
          </a>
        </p>
      </div>
    );
  }

  return (
    <div class="cart" aria-busy={busy}>
      {noticeBox}
      <ul class="cart-lines">
        {cart.lines.map((line) => {
          const title = titleOf(line.sku, line.title);
          const named = `${title} (${variantText(tr, line.attributes)})`;
          const short = line.available !== undefined && line.available < line.quantity;
          return (
            <li class="cart-line" data-testid="cart-line" key={`${line.sku}|${line.variantKey}`}>
              <div class="cart-line-info">
                <a class="cart-line-title" href={paths[line.sku] ?? productsPath}>
                  {title}
                </a>
                <span class="cart-line-variant">{variantText(tr, line.attributes)}</span>
                {line.unitAmount !== undefined && (
                  <span class="muted">
                    {tr("cart.unit", { price: formatMoney(locale, line.unitAmount, currency) })}
                  </span>
                )}
                {short && (
                  <span class="warning">
                    {line.available ? tr("cart.onlyLeft", { n: line.available }) : tr("cart.unavailable")}
                  </span>
                )}
              </div>
              <QuantityStepper
                id={`qty-${line.sku}-${line.variantKey.replace(/[^a-z0-9]/gi, "-")}`}
                label={tr("cart.quantityOf", { title: named })}
                hideLabel
                lessLabel={tr("cart.decreaseOf", { title: named })}
                moreLabel={tr("cart.increaseOf", { title: named })}
                value={line.quantity}
                max={99}
                disabled={busy}
                onChange={(quantity) => void change(line, quantity)}
              />
              <p class="cart-line-total" data-testid="line-total">
                <span class="visually-hidden">{tr("cart.lineTotal")}: </span>
                {line.lineTotal !== undefined ? formatMoney(locale, line.lineTotal, currency) : "…"}
              </p>
              <button
                type="button"
                class="button button-quiet cart-remove"
                data-testid="remove"
                aria-label={tr("cart.removeOf", { title: named })}
                disabled={busy}
                onClick={() => void remove(line)}
              >
                {tr("cart.remove")}
              </button>
            </li>
          );
        })}
      </ul>

      <form class="cart-summary" onSubmit={checkout}>
        <p class="subtotal">
          <span>{tr("cart.subtotal")}</span>
          <strong data-testid="subtotal" aria-live="polite">
            {cart.subtotal !== undefined ? formatMoney(locale, cart.subtotal, currency) : tr("cart.loadingPrice")}
          </strong>
        </p>
        <div class="field">
          <label for="coupon">{tr("cart.coupon")}</label>
          <input
            id="coupon"
            name="coupon"
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            aria-describedby="coupon-hint"
            value={coupon}
            onInput={(event) => setCoupon(event.currentTarget.value)}
            data-testid="coupon"
          />
          <small id="coupon-hint" class="muted">
            {tr("cart.couponHint")}
          </small>
        </div>
        {priceCheck ? (
          <div class="notice notice-warn price-check" tabIndex={-1} ref={priceRef} data-testid="price-changed">
            <p>{tr("cart.priceChanged", { total: priceCheck.total })}</p>
            <div class="button-row">
              <button
                type="button"
                class="button button-primary"
                data-testid="price-confirm"
                onClick={() => priceCheck.answer(true)}
              >
                {tr("cart.priceConfirm")}
              </button>
              <button
                type="button"
                class="button button-quiet"
                data-testid="price-review"
                onClick={() => priceCheck.answer(false)}
              >
                {tr("cart.priceReview")}
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" class="button button-primary button-wide" data-testid="checkout" disabled={busy}>
            {status.state === "checking-out" ? tr("cart.checkingOut") : tr("cart.checkout")}
          </button>
        )}
        <p class="muted small">{tr("cart.shippingNote")}</p>
      </form>
    </div>
  );
}
