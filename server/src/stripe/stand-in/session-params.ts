/**
 * Validates `POST /v1/checkout/sessions` parameters as Stripe does, for the subset the stand-in
 * supports, and answers with Stripe's message and `param` when they are wrong. A typo in the server's
 * parameters must fail here as it would in production, not pass silently.
 */
import { type FormParams, isRecord } from "./form-params.ts";
import { type ApiReply, invalidRequest, missingParam, resourceMissing } from "./stripe-errors.ts";

export interface LineItem {
  name: string;
  currency: string;
  unitAmount: number;
  quantity: number;
}

export interface SessionParams {
  lineItems: LineItem[];
  currency: string;
  amountTotal: number;
  successUrl: string;
  cancelUrl: string | null;
  /** Unix seconds; null means Stripe's default of 24 hours. */
  expiresAt: number | null;
  metadata: Record<string, string>;
  /** `payment_intent_data[metadata]`: what Stripe copies onto the PaymentIntent and its charges. */
  paymentIntentMetadata: Record<string, string>;
  clientReferenceId: string | null;
  customerEmail: string | null;
  locale: string | null;
}

export type ParsedSessionParams = { ok: true; params: SessionParams } | { ok: false; reply: ApiReply };

/** Top-level parameters Stripe accepts on this endpoint; the stand-in ignores those it does not model. */
const KNOWN_PARAMS = new Set(
  "adaptive_pricing after_expiration allow_promotion_codes allowed_payment_method_types automatic_tax billing_address_collection branding_settings cancel_url client_reference_id consent_collection currency custom_fields custom_text customer customer_account customer_creation customer_email customer_update discounts excluded_payment_method_types expand expires_at integration_identifier invoice_creation line_items locale managed_payments metadata mode name_collection optional_items origin_context payment_intent_data payment_method_collection payment_method_configuration payment_method_data payment_method_options payment_method_types permissions phone_number_collection redirect_on_completion return_url saved_payment_method_options setup_intent_data shipping_address_collection shipping_options submit_type subscription_data success_url tax_id_collection ui_mode wallet_options".split(
    " ",
  ),
);

const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;
const MAX_UNIT_AMOUNT = 99_999_999;

/** Thrown only inside this module, to leave a deep validation at the first problem, as Stripe does. */
class Refusal {
  constructor(readonly reply: ApiReply) {}
}

export function parseSessionParams(form: FormParams, nowSeconds: number): ParsedSessionParams {
  try {
    return { ok: true, params: readParams(form, nowSeconds) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reply: error.reply };
    throw error;
  }
}

const refuse = (reply: ApiReply): never => {
  throw new Refusal(reply);
};

function readParams(form: FormParams, nowSeconds: number): SessionParams {
  for (const name of Object.keys(form)) {
    if (!KNOWN_PARAMS.has(name)) refuse(invalidRequest(`Received unknown parameter: ${name}`, name));
  }
  const mode = optionalString(form, "mode") ?? refuse(missingParam("mode"));
  if (!["payment", "setup", "subscription"].includes(mode)) {
    refuse(invalidRequest("Invalid mode: must be one of payment, setup, or subscription", "mode"));
  }
  if (mode !== "payment") refuse(invalidRequest("The Stripe stand-in supports only mode=payment.", "mode"));
  const uiMode = optionalString(form, "ui_mode");
  if (uiMode !== undefined && uiMode !== "hosted" && uiMode !== "hosted_page") {
    refuse(invalidRequest("The Stripe stand-in supports only hosted Checkout (leave ui_mode unset).", "ui_mode"));
  }
  const successUrl = url(form, "success_url") ?? refuse(missingParam("success_url"));
  const lineItems = readLineItems(form.line_items);
  const currency = lineItems[0]?.currency ?? refuse(missingParam("line_items"));
  const other = lineItems.find((item) => item.currency !== currency);
  if (other) {
    refuse(invalidRequest(`Line items must all have the same currency; found ${currency} and ${other.currency}.`));
  }
  readDiscounts(form.discounts);
  const paymentIntentData = form.payment_intent_data;
  if (paymentIntentData !== undefined && !isRecord(paymentIntentData)) {
    refuse(invalidRequest("Invalid object", "payment_intent_data"));
  }
  return {
    lineItems,
    currency,
    amountTotal: lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0),
    successUrl,
    cancelUrl: url(form, "cancel_url") ?? null,
    expiresAt: readExpiresAt(form, nowSeconds),
    metadata: readMetadata(form.metadata, "metadata"),
    paymentIntentMetadata: readMetadata(
      isRecord(paymentIntentData) ? paymentIntentData.metadata : undefined,
      "payment_intent_data[metadata]",
    ),
    clientReferenceId: boundedString(form, "client_reference_id", 200) ?? null,
    customerEmail: optionalString(form, "customer_email") ?? null,
    locale: optionalString(form, "locale") ?? null,
  };
}

function readLineItems(value: unknown): LineItem[] {
  if (value === undefined || value === "") refuse(missingParam("line_items"));
  const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
  if (items.length === 0) refuse(invalidRequest("Invalid array", "line_items"));
  return items.map((item, index) => readLineItem(item, `line_items[${index}]`));
}

function readLineItem(item: unknown, at: string): LineItem {
  if (!isRecord(item)) return refuse(invalidRequest("Invalid object", at));
  const price = optionalString(item, "price", at);
  if (price !== undefined) refuse(resourceMissing("price", price, `${at}[price]`));
  const priceData = item.price_data;
  if (!isRecord(priceData)) {
    return refuse(invalidRequest("You must specify either `price` or `price_data` for each line item.", at));
  }
  const pd = `${at}[price_data]`;
  const currency = (optionalString(priceData, "currency", pd) ?? refuse(missingParam(`${pd}[currency]`))).toLowerCase();
  if (!isCurrency(currency)) refuse(invalidRequest(`Invalid currency: ${currency}`, `${pd}[currency]`));
  if (priceData.recurring !== undefined) {
    refuse(invalidRequest("You specified `payment` mode but passed a recurring price.", `${pd}[recurring]`));
  }
  const product = optionalString(priceData, "product", pd);
  if (product !== undefined) refuse(resourceMissing("product", product, `${pd}[product]`));
  const productData = priceData.product_data;
  const name = isRecord(productData) ? optionalString(productData, "name", `${pd}[product_data]`) : undefined;
  if (name === undefined || name === "") refuse(missingParam(`${pd}[product_data][name]`));
  if (priceData.unit_amount === undefined && priceData.unit_amount_decimal !== undefined) {
    refuse(invalidRequest("The Stripe stand-in supports only unit_amount.", `${pd}[unit_amount_decimal]`));
  }
  const unitAmount = integer(priceData, "unit_amount", pd, 0, MAX_UNIT_AMOUNT);
  const quantity = integer(item, "quantity", at, 1, Number.MAX_SAFE_INTEGER);
  return { name: name ?? "", currency, unitAmount, quantity };
}

function readExpiresAt(form: FormParams, nowSeconds: number): number | null {
  if (form.expires_at === undefined) return null;
  const expiresAt = integer(form, "expires_at", "", 0, Number.MAX_SAFE_INTEGER);
  if (expiresAt < nowSeconds + MIN_EXPIRY_SECONDS) {
    refuse(
      invalidRequest(
        "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
        "expires_at",
      ),
    );
  }
  if (expiresAt > nowSeconds + MAX_EXPIRY_SECONDS) {
    refuse(
      invalidRequest(
        "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        "expires_at",
      ),
    );
  }
  return expiresAt;
}

/** Stripe's metadata limits: 50 keys, keys up to 40 characters, string values up to 500. */
function readMetadata(value: unknown, at: string): Record<string, string> {
  if (value === undefined || value === "") return {};
  if (!isRecord(value)) return refuse(invalidRequest("Invalid object", at));
  const entries = Object.entries(value);
  if (entries.length > 50) refuse(invalidRequest("Metadata can have up to 50 keys.", at));
  const metadata: Record<string, string> = {};
  for (const [key, inner] of entries) {
    if (typeof inner !== "string") refuse(invalidRequest("Metadata values must be strings.", `${at}[${key}]`));
    if (key.length > 40) refuse(invalidRequest("Metadata keys can have up to 40 characters.", `${at}[${key}]`));
    const text = String(inner);
    if (text.length > 500) {
      refuse(
        invalidRequest(
          `Metadata values can have up to 500 characters, but you passed in a value that is ${text.length} characters long.`,
          `${at}[${key}]`,
        ),
      );
    }
    metadata[key] = text;
  }
  return metadata;
}

/** The stand-in knows no coupons or promotion codes, so naming one fails as an unknown id does at Stripe. */
function readDiscounts(value: unknown): void {
  if (value === undefined || value === "") return;
  const discounts = Array.isArray(value) ? value : [value];
  discounts.forEach((discount, index) => {
    if (!isRecord(discount)) return;
    for (const kind of ["coupon", "promotion_code"] as const) {
      const id = discount[kind];
      if (typeof id === "string") refuse(resourceMissing(kind, id, `discounts[${index}][${kind}]`));
    }
  });
}

function optionalString(record: Record<string, unknown>, name: string, at = ""): string | undefined {
  const value = record[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") return refuse(invalidRequest("Invalid string", paramName(at, name)));
  return value;
}

function boundedString(record: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = optionalString(record, name);
  if (value !== undefined && value.length > max) {
    refuse(invalidRequest(`Invalid string: must be at most ${max} characters`, name));
  }
  return value;
}

function url(record: Record<string, unknown>, name: string): string | undefined {
  const value = optionalString(record, name);
  if (value !== undefined && !/^https?:\/\//i.test(value)) refuse(invalidRequest("Not a valid URL", name));
  if (value !== undefined && !URL.canParse(value)) refuse(invalidRequest("Not a valid URL", name));
  return value;
}

/** Numbers arrive as strings; Stripe accepts only whole numbers written as such. */
function integer(record: Record<string, unknown>, name: string, at: string, min: number, max: number): number {
  const param = paramName(at, name);
  const value = record[name];
  if (value === undefined || value === "") return refuse(missingParam(param));
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    return refuse(invalidRequest(`Invalid integer: ${String(value)}`, param));
  }
  const number = Number(value);
  if (number < min) refuse(invalidRequest(`This value must be greater than or equal to ${min}.`, param));
  if (number > max) refuse(invalidRequest(`This value must be less than or equal to ${max}.`, param));
  return number;
}

const paramName = (at: string, name: string): string => (at === "" ? name : `${at}[${name}]`);

const CURRENCIES = new Set(Intl.supportedValuesOf("currency").map((code) => code.toLowerCase()));
const isCurrency = (code: string): boolean => CURRENCIES.has(code);
