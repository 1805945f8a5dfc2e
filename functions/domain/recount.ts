/**
 * A recount of the `releases` and `movements` figures from what Gatehouse keeps: each person's release cases derived
 * again from their facts (with today's rules and scope), and each ledger item's movement. For when counters change
 * meaning (issue 12: releases became the partnership's only; movements are counted by kind, not by HMPPS reason).
 *
 * Ledger items written before the movement table carry only the HMPPS reason: their kind is the one the reason alone
 * gives (a `RELEASED` is a release of kind OTHER, since its code was not kept), and their prison is read from the
 * person's record when it still lists the movement. Pure: the caller reads the items and writes the result.
 */
import { londonTime, type LocalDate } from './calendar';
import { difference, personContribution, rolledUp, type CounterDelta, type SeriesDay } from './aggregates';
import { movementEvents, movementFor } from './movements';
import { canonical, rederive, type LifecycleContext, type PersonReleases } from './release-case';

/** The fields of a ledger item the recount reads. */
export interface LedgerMovement {
  eventId: string;
  occurredAt: string;
  source: string;
  prisonId?: string;
  movement?: string;
  movementKind?: string;
  movementReleaseKind?: string;
  movementCounted?: boolean;
  reviewNeeded?: boolean;
  late?: boolean;
}

export interface Recount {
  /** The persons whose cases read differently now (to be written back, each at the version it was read). */
  changedPersons: PersonReleases[];
  /** Every counter series and day of the two families from `from` on, as it should stand. */
  items: SeriesDay[];
}

export function recount(
  persons: readonly PersonReleases[],
  ledger: readonly LedgerMovement[],
  ctx: LifecycleContext,
  from: LocalDate,
): Recount {
  const changedPersons: PersonReleases[] = [];
  const deltas: CounterDelta[] = [];
  const prisonOf = new Map<string, string>();
  for (const person of persons) {
    for (const m of person.movements ?? []) prisonOf.set(m.eventId, m.prisonId);
    const after = rederive(person, ctx);
    if (canonical(after.cases) !== canonical(person.cases)) changedPersons.push(after);
    deltas.push(...personContribution(after));
  }
  for (const entry of ledger) deltas.push(...ledgerMovementContribution(entry, prisonOf.get(entry.eventId)));

  return { changedPersons, items: rolledUp(difference([], deltas).filter((d) => d.date >= from)) };
}

/** What one ledger item's movement adds to the `movements` figures (the same counters movementContribution writes). */
export function ledgerMovementContribution(entry: LedgerMovement, prisonFromRecord?: string): CounterDelta[] {
  if (entry.movement === undefined) return [];
  const legacy = entry.movementKind === undefined ? legacyMeaning(entry) : undefined;
  const counted = entry.movementCounted ?? legacy?.counted ?? false;
  if (!counted) return [];
  const kind = entry.movementKind ?? legacy!.kind;
  const releaseKind = entry.movementReleaseKind ?? legacy?.releaseKind;
  const counts: Record<string, number> = { [`kind.${kind}`]: 1 };
  if (releaseKind) counts[`release.${releaseKind}`] = 1;
  if (entry.reviewNeeded) counts.reviewNeeded = 1;
  if (entry.late) counts.recordedLate = 1;
  const prison = entry.prisonId ?? prisonFromRecord ?? 'UNKNOWN';
  return [
    {
      family: 'movements',
      dimensions: { la: 'UNKNOWN', prison },
      date: londonTime(entry.occurredAt).date,
      counts,
    },
  ];
}

/** The meaning a ledger item written before the movement table had: its HMPPS event type (from `source`) and reason. */
function legacyMeaning(entry: LedgerMovement): { kind: string; releaseKind?: string; counted: boolean } {
  const reason = entry.movement!;
  const event = Object.values(movementEvents).find((type) => entry.source.startsWith(`hmpps:${type}`));
  if (!event) return { kind: 'UNKNOWN', counted: false };
  if (event === movementEvents.releasedUnconfirmed)
    return {
      kind: 'UNCONFIRMED_RELEASE',
      counted: reason === 'RELEASED' || reason === 'RELEASED_TO_HOSPITAL',
    };
  // The code was not kept: a RELEASED is a release of a kind not known, any other reason means what it says.
  const meaning = movementFor(event, reason, reason === 'RELEASED' ? 'CR' : undefined);
  return {
    kind: meaning.kind,
    ...(meaning.kind === 'RELEASE' ? { releaseKind: 'OTHER' } : {}),
    counted: true,
  };
}
