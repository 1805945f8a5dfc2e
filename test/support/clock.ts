/** A clock a test moves by hand: the functions read it instead of the wall clock. */
export function manualClock(start: string) {
  let now = Date.parse(start);
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance(minutes: number) {
      now += minutes * 60_000;
      return clock();
    },
  });
}

/**
 * A clock that runs at the wall clock's pace from a fixed instant: the tests' fixtures are dated around it, so
 * "too old to page" and "within the alert's lifetime" mean the same whatever day the tests run.
 */
export function runningFrom(start: string) {
  const offset = Date.parse(start) - Date.now();
  return () => new Date(Date.now() + offset);
}

/** The instant the integration tests' Gatehouse starts at: Friday 20 November 2026, 17:00 in London. */
export const testEpoch = '2026-11-20T17:00:00Z';
