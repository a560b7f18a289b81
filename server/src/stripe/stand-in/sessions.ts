/**
 * Checkout Sessions and their life: open → complete (paid, or unpaid while an asynchronous payment is
 * pending) or open → expired, plus the refund of a paid one. Every transition that Stripe announces
 * with an event is announced through `emit`; the store itself knows nothing about HTTP or webhooks.
 */
import { newId } from "./ids.ts";
import type { ChargeObject, CheckoutSessionObject, EventType, PaymentStatus, SessionStatus } from "./objects.ts";
import type { SessionParams } from "./session-params.ts";

/** Announces an event; resolves once its delivery has settled (delivered, failed, dropped or held). */
export type Emit = (type: EventType, object: CheckoutSessionObject | ChargeObject) => Promise<void>;

export interface StoredSession {
  id: string;
  params: SessionParams;
  created: number;
  expiresAt: number;
  status: SessionStatus;
  paymentStatus: PaymentStatus;
  paymentIntent: string | null;
  chargeId: string | null;
  asyncPayment: "pending" | "succeeded" | "failed" | null;
  refunded: boolean;
}

/** Why a transition was refused; the control API maps `not_found` to 404 and the rest to 409. */
export class SessionStateError extends Error {
  constructor(
    readonly code: "not_found" | "not_open" | "not_awaiting_async_payment" | "not_refundable",
    message: string,
  ) {
    super(message);
    this.name = "SessionStateError";
  }
}

export interface Transition {
  session: CheckoutSessionObject;
  /** Settles when the events this transition announced have settled. */
  delivered: Promise<void>;
}

const DEFAULT_LIFETIME_SECONDS = 24 * 60 * 60;

export class SessionStore {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #now: () => number;
  readonly #pageUrl: (id: string) => string;
  readonly #emit: Emit;

  constructor(options: { now: () => number; pageUrl: (id: string) => string; emit: Emit }) {
    this.#now = options.now;
    this.#pageUrl = options.pageUrl;
    this.#emit = options.emit;
  }

  create(params: SessionParams): CheckoutSessionObject {
    const created = this.#seconds();
    const session: StoredSession = {
      id: newId("cs_test", 58),
      params,
      created,
      expiresAt: params.expiresAt ?? created + DEFAULT_LIFETIME_SECONDS,
      status: "open",
      paymentStatus: "unpaid",
      paymentIntent: null,
      chargeId: null,
      asyncPayment: null,
      refunded: false,
    };
    this.#sessions.set(session.id, session);
    return this.toObject(session);
  }

  /** A session as of now: one whose time ran out is expired (and announced) on the way. */
  find(id: string): StoredSession | undefined {
    const session = this.#sessions.get(id);
    if (session) this.#expireIfDue(session);
    return session;
  }

  /** Expires every open session whose `expires_at` has passed (run by a timer). */
  sweep(): void {
    for (const session of this.#sessions.values()) this.#expireIfDue(session);
  }

  expire(id: string): Transition {
    const session = this.#require(id);
    if (session.status !== "open") {
      throw new SessionStateError("not_open", `Checkout Session ${id} is ${session.status}, not open.`);
    }
    return this.#expire(session);
  }

  /**
   * The shopper pays. `paid` completes it paid at once; `async` completes it unpaid with the payment
   * still processing (bank debits, vouchers), its result announced later by `asyncResult`.
   */
  pay(id: string, outcome: "paid" | "async"): Transition {
    const session = this.#require(id);
    if (session.status !== "open") {
      throw new SessionStateError("not_open", `Checkout Session ${id} is ${session.status} and can no longer be paid.`);
    }
    session.status = "complete";
    if (session.params.amountTotal === 0) {
      session.paymentStatus = "no_payment_required";
    } else {
      session.paymentIntent = newId("pi_test");
      session.paymentStatus = outcome === "paid" ? "paid" : "unpaid";
      session.asyncPayment = outcome === "async" ? "pending" : null;
      if (outcome === "paid") session.chargeId = newId("ch_test");
    }
    return this.#announce(session, "checkout.session.completed");
  }

  asyncResult(id: string, succeeded: boolean): Transition {
    const session = this.#require(id);
    if (session.asyncPayment !== "pending") {
      throw new SessionStateError(
        "not_awaiting_async_payment",
        `Checkout Session ${id} has no pending asynchronous payment.`,
      );
    }
    session.asyncPayment = succeeded ? "succeeded" : "failed";
    if (succeeded) {
      session.paymentStatus = "paid";
      session.chargeId = newId("ch_test");
    }
    return this.#announce(
      session,
      succeeded ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed",
    );
  }

  /** Refunds a paid session in full, announced as `charge.refunded` with the PaymentIntent's metadata. */
  refund(id: string): { charge: ChargeObject; delivered: Promise<void> } {
    const session = this.#require(id);
    if (session.paymentStatus !== "paid" || session.chargeId === null || session.refunded) {
      throw new SessionStateError("not_refundable", `Checkout Session ${id} has no paid, unrefunded charge.`);
    }
    session.refunded = true;
    const amount = session.params.amountTotal;
    const charge: ChargeObject = {
      id: session.chargeId,
      object: "charge",
      livemode: false,
      amount,
      amount_captured: amount,
      amount_refunded: amount,
      captured: true,
      created: this.#seconds(),
      currency: session.params.currency,
      metadata: { ...session.params.paymentIntentMetadata },
      paid: true,
      payment_intent: session.paymentIntent,
      refunded: true,
      status: "succeeded",
    };
    return { charge, delivered: this.#emit("charge.refunded", charge) };
  }

  toObject(session: StoredSession): CheckoutSessionObject {
    const { params } = session;
    return {
      id: session.id,
      object: "checkout.session",
      livemode: false,
      status: session.status,
      payment_status: session.paymentStatus,
      url: session.status === "open" ? this.#pageUrl(session.id) : null,
      amount_subtotal: params.amountTotal,
      amount_total: params.amountTotal,
      currency: params.currency,
      created: session.created,
      expires_at: session.expiresAt,
      metadata: { ...params.metadata },
      client_reference_id: params.clientReferenceId,
      customer: null,
      customer_email: params.customerEmail,
      locale: params.locale,
      mode: "payment",
      payment_intent: session.paymentIntent,
      success_url: params.successUrl,
      cancel_url: params.cancelUrl,
      ui_mode: "hosted_page",
    };
  }

  #require(id: string): StoredSession {
    const session = this.find(id);
    if (!session) throw new SessionStateError("not_found", `No such checkout.session: '${id}'`);
    return session;
  }

  #expireIfDue(session: StoredSession): void {
    if (session.status === "open" && this.#now() >= session.expiresAt * 1000) void this.#expire(session).delivered;
  }

  #expire(session: StoredSession): Transition {
    session.status = "expired";
    return this.#announce(session, "checkout.session.expired");
  }

  #announce(session: StoredSession, type: EventType): Transition {
    const object = this.toObject(session);
    return { session: object, delivered: this.#emit(type, object) };
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}
