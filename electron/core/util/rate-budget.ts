// A budget that refills at a steady rate up to a cap: what keeps a flood's delta batches to a fixed number of rows
// and log entries a second, and its reverse-DNS queries to a fixed number a second, however many events arrive,
// while a quiet moment lets the next batch (or burst of new endpoints) use a full cap.

export class RateBudget {
  private budget: number;
  private refilledAt: number;

  /** Starts full. */
  constructor(
    private readonly perSecond: number,
    private readonly cap: number,
    now: number,
  ) {
    this.budget = cap;
    this.refilledAt = now;
  }

  /** Adds what accrued since the last call (never beyond the cap) and returns what may be spent now. */
  refill(now: number): number {
    this.budget = Math.min(this.cap, this.budget + ((now - this.refilledAt) * this.perSecond) / 1000);
    this.refilledAt = now;
    return this.budget;
  }

  spend(amount: number): void {
    this.budget = Math.max(0, this.budget - amount);
  }
}
