/**
 * TEST-ONLY: stops a checkout at one step so a fault test can SIGKILL the server process right there
 * (server/test/faults/crash-mid-checkout.test.ts). Switched on by COMMERCE_TEST_PAUSE_AT, which the
 * configuration refuses unless NODE_ENV=test, so a production or development server can never pause.
 * Without it the checkout has no pause at all (the hook is absent, not a no-op that could be armed).
 */
export const CHECKOUT_STEPS = ["after-hold", "after-stripe-call", "before-response"] as const;
export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

/** Awaited at each step with the hold it is working on. */
export type CheckoutPause = (step: CheckoutStep, holdId: string) => Promise<void>;

/**
 * At `step`, prints `test-pause <step> <holdId>` on stdout (the test waits for that line) and never
 * resumes: the process is meant to be killed there. Other steps pass straight through.
 */
export function pauseForeverAt(step: CheckoutStep, write: (line: string) => void): CheckoutPause {
  return (reached, holdId) => {
    if (reached !== step) return Promise.resolve();
    write(`test-pause ${reached} ${holdId}\n`);
    return new Promise<void>(() => {});
  };
}
