// Events in, malformed, lost, and the rate over the last full second, all updated in constant time.
import type { Counters } from '../model';

export class EventCounters {
  eventsIn = 0;
  malformed = 0;
  lost = 0;
  private second = 0;
  private inThisSecond = 0;
  private inLastSecond = 0;

  countEvent(now: number): void {
    this.eventsIn++;
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.inLastSecond = second === this.second + 1 ? this.inThisSecond : 0;
      this.second = second;
      this.inThisSecond = 0;
    }
    this.inThisSecond++;
  }

  snapshot(now: number): Counters {
    const second = Math.floor(now / 1000);
    const rate = second === this.second ? this.inLastSecond : second === this.second + 1 ? this.inThisSecond : 0;
    return { eventsIn: this.eventsIn, malformed: this.malformed, lost: this.lost, eventsPerSecond: rate };
  }
}
