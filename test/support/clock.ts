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
