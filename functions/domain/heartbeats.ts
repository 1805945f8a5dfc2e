/**
 * Heartbeats: silence is a signal. Each feed Gatehouse depends on has an expectation — HMPPS events arrive
 * through the working day; a partner sends a file kind at its cadence — and a feed that misses it is overdue, so
 * someone looks before a release goes unnoticed. Pure: last-seen times, the instant and the calendar are passed in.
 */
import * as z from 'zod';
import { londonInstant, londonTime, type WorkingCalendar } from './calendar';

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');

export const feedExpectationSchema = z.discriminatedUnion('kind', [
  /** Something arrives at least every `silentMinutes` between `from` and `to` on working days (London time). */
  z.strictObject({
    kind: z.literal('working-hours'),
    feed: z.string().min(1),
    label: z.string().min(1),
    from: localTime,
    to: localTime,
    silentMinutes: z.number().int().positive(),
  }),
  /** Something arrives at least every `everyDays` days (plus `graceHours`). */
  z.strictObject({
    kind: z.literal('cadence'),
    feed: z.string().min(1),
    label: z.string().min(1),
    everyDays: z.number().positive(),
    graceHours: z.number().min(0).default(0),
  }),
]);
export type FeedExpectation = z.infer<typeof feedExpectationSchema>;

/** The default: HMPPS domain events between 07:00 and 19:00 on working days, never two hours apart. */
export const defaultExpectations: FeedExpectation[] = [
  {
    kind: 'working-hours',
    feed: 'hmpps-events',
    label: 'HMPPS domain events',
    from: '07:00',
    to: '19:00',
    silentMinutes: 120,
  },
];

/** The feed id of a partner's file kind. */
export function partnerFileFeed(partnerId: string, kind: string): string {
  return `file:${partnerId}:${kind}`;
}

export interface OverdueFeed {
  feed: string;
  label: string;
  lastSeenAt?: string;
  why: string;
}

export function overdueFeeds(
  expectations: readonly FeedExpectation[],
  lastSeen: Readonly<Record<string, string | undefined>>,
  now: Date,
  calendar: WorkingCalendar,
): OverdueFeed[] {
  const overdue: OverdueFeed[] = [];
  for (const e of expectations) {
    const seen = lastSeen[e.feed];
    const base = { feed: e.feed, label: e.label, ...(seen ? { lastSeenAt: seen } : {}) };
    if (e.kind === 'working-hours') {
      const today = londonTime(now).date;
      if (!calendar.isWorkingDay(today)) continue;
      const start = londonInstant(today, e.from);
      const end = londonInstant(today, e.to);
      if (now <= start || now > end) continue;
      // Silence is measured from the later of the last arrival and the start of today's window.
      const since = seen && Date.parse(seen) > start.getTime() ? new Date(seen) : start;
      const silent = Math.floor((now.getTime() - since.getTime()) / 60_000);
      if (silent > e.silentMinutes)
        overdue.push({
          ...base,
          why: `nothing since ${londonTime(since).time} (${silent} minutes; expected at least every ${e.silentMinutes} between ${e.from} and ${e.to} on working days)`,
        });
    } else {
      const dueBy = seen ? Date.parse(seen) + (e.everyDays * 24 + e.graceHours) * 3_600_000 : undefined;
      if (dueBy === undefined)
        overdue.push({ ...base, why: `never received (expected every ${e.everyDays} days)` });
      else if (now.getTime() > dueBy)
        overdue.push({ ...base, why: `last received ${seen}, expected every ${e.everyDays} days` });
    }
  }
  return overdue;
}
