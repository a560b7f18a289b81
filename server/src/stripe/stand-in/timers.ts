/**
 * Every timer the stand-in starts (fault delays, webhook backoff, asynchronous payment results), kept in
 * one place so `close()` can cancel them all and a test run never waits on a stand-in it already closed.
 */
export class TimerSet {
  readonly #pending = new Map<NodeJS.Timeout, () => void>();
  #closed = false;

  /** Resolves `true` after `ms`, or `false` at once when the stand-in closes first. */
  sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve(true);
      }, ms);
      this.#pending.set(timer, () => resolve(false));
    });
  }

  /** Runs `task` after `ms` unless the stand-in closes first. */
  later(ms: number, task: () => void): void {
    void this.sleep(ms).then((elapsed) => {
      if (elapsed) task();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    for (const [timer, cancel] of this.#pending) {
      clearTimeout(timer);
      cancel();
    }
    this.#pending.clear();
  }
}
