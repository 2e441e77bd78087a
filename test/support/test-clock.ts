import { Clock } from '../../src/common/clock.js';

/** Real time plus an offset the test moves, instead of sleeping. */
export class TestClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(this.nowMs());
  }

  override nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
