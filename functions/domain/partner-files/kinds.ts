/**
 * The partner-file kinds, as data: one entry per kind holds everything the kind means to Gatehouse —
 * - `schema`: its rows (./rows.ts), which is also its template: the columns, their order and which are required;
 * - `authority`: what a partner may say beyond the schema (./authority.ts), a refused row named with its reason;
 * - `effect`: what an accepted row does (./effects.ts) — a custody event, a rota entry or a tracked outcome —
 *   and its subject: rows about one subject apply in file order, rows about different subjects side by side.
 * The counters an effect moves come with it (a tracked outcome's contribution; a recorded custody event's
 * figures); every kind also counts its files and rows in the `files` family (`fileCounts`).
 *
 * Adding a fifth kind: add its name to `partnerFileKinds` (commons/partners.ts) — tsc then asks for its entry
 * here — write its row schema (rows.ts) and its entry below, and test the entry (test/unit/domain/partner-files/).
 * The use case, the chunked applier, the header reading and the ledger do not change.
 */
import type * as z from 'zod';
import type { CustodyFact } from '#domain/custody-facts';
import type { Partner, PartnerFileKind } from '#domain/partners';
import type { RotaEntry } from '#domain/rota';
import { outside } from './authority';
import {
  accommodationOutcome,
  referralOutcome,
  rotaEntry,
  scheduledEvent,
  type FileIdentity,
  type OutcomeSubject,
  type TrackedOutcome,
} from './effects';
import type { RowRejection } from './report';
import { accommodationOutcomeRow, onCallRotaRow, referralOutcomeRow, releaseScheduleRow } from './rows';

/** What an accepted row does, and the subject it is about. */
export type RowEffect = { subject: string } & (
  | { event: CustodyFact }
  | { rota: RotaEntry }
  | { outcome: TrackedOutcome }
);

export interface KindRules<Row> {
  /** A refusal when the partner may not say this row (undefined: the schema is the whole rule). */
  authority(partner: Partner, row: Row, line: number): RowRejection | undefined;
  effect(row: Row, line: number, file: FileIdentity): RowEffect;
}

function kind<S extends z.ZodType>(
  schema: S,
  rules: KindRules<z.infer<S>>,
): { schema: S } & KindRules<z.infer<S>> {
  return { schema, ...rules };
}

export const partnerFileKindEntries = {
  'release-schedule': kind(releaseScheduleRow, {
    authority: () => undefined,
    // Custody events go through the release records and their counters: one chunk of them at a time.
    effect: (row, line, file) => ({ subject: 'events', event: scheduledEvent(row, line, file) }),
  }),
  // A rota decides who is woken for a release: a council sets the rota of its own area, never another's.
  'on-call-rota': kind(onCallRotaRow, {
    authority: (partner, row, line) =>
      outside(
        partner.rotaAreas,
        row.local_authority,
        line,
        'local_authority',
        `${partner.id} may set the on-call rota`,
      ),
    // The same shift twice: the later row wins.
    effect: (row, _line, file) => {
      const entry = rotaEntry(row, file);
      return {
        subject: `rota|${[entry.localAuthority, entry.tier, entry.start, entry.end].join('|')}`,
        rota: entry,
      };
    },
  }),
  // Accommodation outcomes are about people released to an area: a partner reports those of the areas it serves.
  'accommodation-outcome': kind(accommodationOutcomeRow, {
    authority: (partner, row, line) =>
      outside(
        partner.outcomeAreas,
        row.local_authority,
        line,
        'local_authority',
        `${partner.id} may report accommodation outcomes`,
      ),
    effect: (row) => tracked(accommodationOutcome(row)),
  }),
  // Referral outcomes are a service's answer to a referral: a partner reports those of the services it runs.
  'referral-outcome': kind(referralOutcomeRow, {
    authority: (partner, row, line) =>
      outside(
        partner.referralServices,
        row.service,
        line,
        'service',
        `${partner.id} may report referral outcomes`,
      ),
    effect: (row, _line, file) => tracked(referralOutcome(row, file.partnerId)),
  }),
} satisfies Record<PartnerFileKind, unknown>;

export type PartnerFileRow<K extends PartnerFileKind> = z.infer<(typeof partnerFileKindEntries)[K]['schema']>;

/** The same entries, seen kind by kind: what lets one generic function apply any kind without a cast. */
const rulesByKind: { [K in PartnerFileKind]: KindRules<PartnerFileRow<K>> } = partnerFileKindEntries;

/** An accepted row's effect, or the reason the partner may not say it. */
export function acceptRow<K extends PartnerFileKind>(
  kind: K,
  row: PartnerFileRow<K>,
  line: number,
  partner: Partner,
  file: FileIdentity,
): { ok: true; effect: RowEffect } | { ok: false; rejection: RowRejection } {
  const rules = rulesByKind[kind];
  const refused = rules.authority(partner, row, line);
  return refused ? { ok: false, rejection: refused } : { ok: true, effect: rules.effect(row, line, file) };
}

/** Rows about the same person's accommodation, or the same referral, are one subject. */
export function subjectKey(s: OutcomeSubject): string {
  return s.type === 'accommodation'
    ? `a|${s.prisonNumber}|${s.releaseDate}`
    : `r|${s.partnerId}|${s.referralId}`;
}

function tracked(outcome: TrackedOutcome): RowEffect {
  return { subject: subjectKey(outcome.subject), outcome };
}
