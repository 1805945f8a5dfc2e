/**
 * The local runtime's clock. In AWS "now" is the wall clock; locally it can be set to start at any instant
 * (GATEHOUSE_CLOCK_START, an ISO 8601 instant) and run on from there with real time, so the integration and
 * e2e suites can be played on any date without faking the time of DynamoDB Local's JVM (which hangs under
 * faketime). Read only by local/ and the test support; the functions get the clock passed in.
 */
export const clockStartVariable = 'GATEHOUSE_CLOCK_START';

/** A clock that starts at `start` and advances with real time. */
export function clockStartingAt(start: string | Date): () => Date {
  const startMs = typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (!Number.isFinite(startMs))
    throw new Error(
      `${clockStartVariable}: '${String(start)}' is not an ISO 8601 instant (e.g. 2030-06-14T12:00:00Z)`,
    );
  const realStart = performance.now();
  return () => new Date(startMs + (performance.now() - realStart));
}

/** The wall clock, or the clock GATEHOUSE_CLOCK_START asks for. */
export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): () => Date {
  const start = env[clockStartVariable];
  return start ? clockStartingAt(start) : () => new Date();
}
