/** One timer that keeps the earliest wake-up asked of it: a later request leaves it as it is. */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private at = Number.POSITIVE_INFINITY;

  constructor(private readonly wake: () => void) {}

  /** Calls `wake` in `ms` unless it is to be called sooner already. */
  in(ms: number, now = Date.now()): void {
    const at = now + ms;
    if (this.timer && this.at <= at) return;
    clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.at = Number.POSITIVE_INFINITY;
      this.wake();
    }, ms);
  }
}
