/**
 * Stripe.js on the storefront's pages gives Stripe's fraud checks signals about the shopper's visit.
 * Hosted Checkout does not need it, so it loads in the background and a failure is ignored.
 */
const STRIPE_JS = "https://js.stripe.com/v3/";

export function loadStripeSignals(publishableKey: string): void {
  if (typeof document === "undefined" || document.querySelector(`script[src="${STRIPE_JS}"]`)) return;
  const script = document.createElement("script");
  script.src = STRIPE_JS;
  script.async = true;
  script.dataset.key = publishableKey;
  script.onerror = () => script.remove();
  document.head.append(script);
}
