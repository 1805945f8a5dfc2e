/**
 * The movement table: what each HMPPS prison movement means to Gatehouse, and what Gatehouse does about it.
 *
 * One entry per (event, HMPPS reason, NOMIS movement reason code or family of codes). Every (event, reason) has a
 * catch-all entry (`codes: 'other'`) for the codes not listed. The same table drives the code (`movementFor`) and
 * the table published in events/README.md (`movementTableMarkdown`; a test fails when the two differ).
 *
 * Sources: hmpps-domain-events `prisoner.released.yaml` / `prisoner.received.yaml` (the reasons);
 * prison-offender-events `ReleasePrisonerReasonCalculator` (RELEASED is every NOMIS "REL" movement, HP is
 * RELEASED_TO_HOSPITAL); hmpps-probation-integration-services `prison-custody-status-to-delius` (DEC died; UAL, UAL_ECL
 * absconded; HO/HP/HQ hospital; DD/DE/DL/DEIRC/ETR/ECSLIRC immigration; ECSL a real release; recall codes on ADMISSION);
 * calculate-release-dates-api (the families of release codes: CR/CE/AR/FR1/FR2 conditional release, HD/HE/HR/HU HDC).
 * Pure data and pure functions: no clock, no configuration.
 */

export const movementKinds = [
  'RELEASE',
  'HOSPITAL',
  'IMMIGRATION',
  'DIED',
  'ABSCONDED',
  'MERGE',
  'TRANSFER_OUT',
  'COURT_OUT',
  'TEMPORARY_ABSENCE_OUT',
  'ADMISSION',
  'RECALL',
  'COURT_RETURN',
  'TEMPORARY_ABSENCE_RETURN',
  'TRANSFER_IN',
  'UNKNOWN',
  'UNCONFIRMED_RELEASE',
] as const;
export type MovementKind = (typeof movementKinds)[number];

/** Kinds of release to the community. */
export const releaseKinds = [
  'CONDITIONAL_RELEASE',
  'HDC',
  'ECSL',
  'END_OF_SENTENCE',
  'FROM_COURT',
  'OTHER',
] as const;
export type ReleaseKind = (typeof releaseKinds)[number];

/**
 * What Gatehouse does with a movement:
 * - RELEASE: open or update the person's release case; alert as the rules say (when the release is ours and recent);
 * - CLOSE: record and count; close the person's open (scheduled) case, because that release will not happen;
 * - RETURN: record and count; the person is in custody, so a release case of theirs is closed as returned;
 * - RECORD: record and count only.
 */
export const movementActions = ['RELEASE', 'CLOSE', 'RETURN', 'RECORD'] as const;
export type MovementAction = (typeof movementActions)[number];

export const movementEvents = {
  released: 'prison-offender-events.prisoner.released',
  received: 'prison-offender-events.prisoner.received',
  releasedUnconfirmed: 'prisoner-offender-search.prisoner.released',
} as const;
export type MovementEvent = (typeof movementEvents)[keyof typeof movementEvents];

/** Reasons of `prison-offender-events.prisoner.released`. Only RELEASED and RELEASED_TO_HOSPITAL are discharges. */
export const hmppsReleaseReasons = [
  'RELEASED',
  'RELEASED_TO_HOSPITAL',
  'TEMPORARY_ABSENCE_RELEASE',
  'SENT_TO_COURT',
  'TRANSFERRED',
  'UNKNOWN',
] as const;
export const dischargeReasons = [
  'RELEASED',
  'RELEASED_TO_HOSPITAL',
] as const satisfies readonly HmppsReleaseReason[];
/** Reasons of `prison-offender-events.prisoner.received`. */
export const hmppsReceiveReasons = [
  'ADMISSION',
  'TEMPORARY_ABSENCE_RETURN',
  'RETURN_FROM_COURT',
  'TRANSFERRED',
] as const;

export type HmppsReleaseReason = (typeof hmppsReleaseReasons)[number];
export type HmppsReceiveReason = (typeof hmppsReceiveReasons)[number];
/** Why someone came back into custody: HMPPS's reasons, and a recall (an ADMISSION with a recall code). */
export const receptionReasons = [...hmppsReceiveReasons, 'RECALL'] as const;

export interface MovementEntry {
  event: MovementEvent;
  /** The HMPPS `reason`. */
  reason: string;
  /** The `nomisMovementReasonCode` values this entry covers, or 'other': any code the table does not list (or none). */
  codes: readonly string[] | 'other';
  kind: MovementKind;
  /** For releases to the community. */
  releaseKind?: ReleaseKind;
  action: MovementAction;
  /** A person should look at it: HMPPS's meaning is not known or not certain. */
  review: boolean;
  /** What it means, in words an operator uses. */
  meaning: string;
}

const released = movementEvents.released;
const received = movementEvents.received;

export const movementTable: readonly MovementEntry[] = [
  // prisoner.released, RELEASED: every NOMIS "REL" movement. The code says whether anyone left for the community.
  {
    event: released,
    reason: 'RELEASED',
    codes: ['CR', 'CE', 'AR', 'FR1', 'FR2'],
    kind: 'RELEASE',
    releaseKind: 'CONDITIONAL_RELEASE',
    action: 'RELEASE',
    review: false,
    meaning: 'Released to the community at the conditional or automatic release point',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['HD', 'HE', 'HR', 'HU'],
    kind: 'RELEASE',
    releaseKind: 'HDC',
    action: 'RELEASE',
    review: false,
    meaning: 'Released on home detention curfew: planned, to an approved curfew address',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['ECSL'],
    kind: 'RELEASE',
    releaseKind: 'ECSL',
    action: 'RELEASE',
    review: false,
    meaning: 'Released early on an end of custody supervised licence',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['PX', 'PD', 'D1', 'D2', 'D3', 'D4', 'BD'],
    kind: 'RELEASE',
    releaseKind: 'OTHER',
    action: 'RELEASE',
    review: false,
    meaning:
      'Released to the community on parole, after a recall, from a detention and training order, or on immigration bail',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['DEC'],
    kind: 'DIED',
    action: 'CLOSE',
    review: false,
    meaning: 'Died in custody: nobody is released, and a scheduled release is closed',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['UAL', 'UAL_ECL'],
    kind: 'ABSCONDED',
    action: 'RECORD',
    review: false,
    meaning: 'Absconded (unlawfully at large): not a release, nobody is paged',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['HO', 'HP', 'HQ'],
    kind: 'HOSPITAL',
    action: 'CLOSE',
    review: false,
    meaning: 'Detained in a secure hospital under the Mental Health Act: not a release to the community',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['DD', 'DE', 'DL', 'DEIRC', 'ETR'],
    kind: 'IMMIGRATION',
    action: 'CLOSE',
    review: false,
    meaning: 'Discharged to immigration detention, deported or removed early: not a release to the community',
  },
  // prison-custody-status-to-delius treats ECSLIRC as a discharge to an immigration removal centre; calculate-release-dates
  // groups it with ECSL. Not paged (the likelier reading), and flagged so a person checks.
  {
    event: released,
    reason: 'RELEASED',
    codes: ['ECSLIRC'],
    kind: 'IMMIGRATION',
    action: 'CLOSE',
    review: true,
    meaning:
      'End of custody licence to an immigration removal centre: taken as not a release to the community, and flagged for review because HMPPS services read this code differently',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: ['MRG'],
    kind: 'MERGE',
    action: 'RECORD',
    review: false,
    meaning: 'Two NOMIS records merged: an administrative change, nobody moved',
  },
  {
    event: released,
    reason: 'RELEASED',
    codes: 'other',
    kind: 'RELEASE',
    releaseKind: 'OTHER',
    action: 'RELEASE',
    review: true,
    meaning:
      'A movement code Gatehouse does not know: treated as a release to the community so nobody is missed, and flagged for review with its code',
  },
  {
    event: released,
    reason: 'RELEASED_TO_HOSPITAL',
    codes: 'other',
    kind: 'HOSPITAL',
    action: 'CLOSE',
    review: false,
    meaning: 'Discharged into the care of a hospital: not a release to the community',
  },
  {
    event: released,
    reason: 'TEMPORARY_ABSENCE_RELEASE',
    codes: 'other',
    kind: 'TEMPORARY_ABSENCE_OUT',
    action: 'RECORD',
    review: false,
    meaning: 'Out on temporary licence, expected back',
  },
  {
    event: released,
    reason: 'SENT_TO_COURT',
    codes: 'other',
    kind: 'COURT_OUT',
    action: 'RECORD',
    review: false,
    meaning: 'Taken to court; a release from there is a release from court (unplanned)',
  },
  {
    event: released,
    reason: 'TRANSFERRED',
    codes: 'other',
    kind: 'TRANSFER_OUT',
    action: 'RECORD',
    review: false,
    meaning: 'Transferred to another prison',
  },
  {
    event: released,
    reason: 'UNKNOWN',
    codes: 'other',
    kind: 'UNKNOWN',
    action: 'RECORD',
    review: true,
    meaning: 'HMPPS could not say why the person left: recorded and flagged for review',
  },
  // prisoner.received: the person is in custody.
  {
    event: received,
    reason: 'ADMISSION',
    codes: ['L', 'B', 'Y', 'ETB', 'ETRLR', 'ETRB', 'ETRRIE', '24'],
    kind: 'RECALL',
    action: 'RETURN',
    review: false,
    meaning:
      'Recalled to custody (licence, home detention curfew, detention and training order, early removal or emergency release)',
  },
  {
    event: received,
    reason: 'ADMISSION',
    codes: 'other',
    kind: 'ADMISSION',
    action: 'RETURN',
    review: false,
    meaning: 'Admitted to custody: remanded, sentenced, or recaptured',
  },
  {
    event: received,
    reason: 'RETURN_FROM_COURT',
    codes: 'other',
    kind: 'COURT_RETURN',
    action: 'RETURN',
    review: false,
    meaning: 'Back from court',
  },
  {
    event: received,
    reason: 'TEMPORARY_ABSENCE_RETURN',
    codes: 'other',
    kind: 'TEMPORARY_ABSENCE_RETURN',
    action: 'RETURN',
    review: false,
    meaning: 'Back from temporary licence',
  },
  {
    event: received,
    reason: 'TRANSFERRED',
    codes: 'other',
    kind: 'TRANSFER_IN',
    action: 'RETURN',
    review: false,
    meaning: 'Transferred in from another prison',
  },
  // prisoner-offender-search.prisoner.released: immediate and unconfirmed; the confirmed event follows 45 minutes later.
  {
    event: movementEvents.releasedUnconfirmed,
    reason: 'RELEASED',
    codes: 'other',
    kind: 'UNCONFIRMED_RELEASE',
    action: 'RECORD',
    review: false,
    meaning:
      'Immediate, unconfirmed release: counted, never acted on (the confirmed event comes 45 minutes later)',
  },
  {
    event: movementEvents.releasedUnconfirmed,
    reason: 'RELEASED_TO_HOSPITAL',
    codes: 'other',
    kind: 'UNCONFIRMED_RELEASE',
    action: 'RECORD',
    review: false,
    meaning: 'Immediate, unconfirmed discharge to hospital: counted, never acted on',
  },
];

/** What Gatehouse decided a movement is. The domain result a later enrichment step (HMPPS APIs) starts from. */
export interface MovementMeaning {
  kind: MovementKind;
  releaseKind?: ReleaseKind;
  action: MovementAction;
  review: boolean;
  /** Why, in words an operator understands; names the code when it is flagged. */
  reasons: string[];
  /** The NOMIS code, when HMPPS sent one. */
  code?: string;
  entry: MovementEntry;
}

/**
 * The meaning of one movement. A code the table does not list falls to the reason's catch-all entry; a reason
 * the table does not know at all (HMPPS adding one) is recorded for review, never acted on.
 */
export function movementFor(event: MovementEvent, reason: string, code: string | undefined): MovementMeaning {
  const forReason = movementTable.filter((e) => e.event === event && e.reason === reason);
  const listed =
    code === undefined ? undefined : forReason.find((e) => e.codes !== 'other' && e.codes.includes(code));
  const entry = listed ?? forReason.find((e) => e.codes === 'other') ?? unknownReason(event, reason);
  const reasons = [entry.meaning];
  if (entry.review && !listed && code !== undefined && entry.kind === 'RELEASE')
    reasons.push(`Movement code ${code} is not in the movement table`);
  if (entry.review && !listed && code === undefined && entry.kind === 'RELEASE')
    reasons.push('HMPPS sent no movement code');
  return {
    kind: entry.kind,
    ...(entry.releaseKind ? { releaseKind: entry.releaseKind } : {}),
    action: entry.action,
    review: entry.review,
    reasons,
    ...(code !== undefined ? { code } : {}),
    entry,
  };
}

function unknownReason(event: MovementEvent, reason: string): MovementEntry {
  return {
    event,
    reason,
    codes: 'other',
    kind: 'UNKNOWN',
    action: 'RECORD',
    review: true,
    meaning: `HMPPS reason ${reason} is not in the movement table: recorded and flagged for review`,
  };
}

/**
 * Release kinds in a producer's own words (custody event v1 `release.reason`), so that HMP Durham's "released from
 * court" is unplanned whatever schedule arrives later. Unlisted words are OTHER.
 */
const releaseWords: Record<string, ReleaseKind> = {
  CONDITIONAL_RELEASE: 'CONDITIONAL_RELEASE',
  HDC: 'HDC',
  HOME_DETENTION_CURFEW: 'HDC',
  ECSL: 'ECSL',
  END_OF_SENTENCE: 'END_OF_SENTENCE',
  SENTENCE_EXPIRED: 'END_OF_SENTENCE',
  NO_CUSTODIAL_SENTENCE: 'END_OF_SENTENCE',
  FROM_COURT: 'FROM_COURT',
  RELEASED_FROM_COURT: 'FROM_COURT',
  TIME_SERVED: 'FROM_COURT',
  BAIL: 'FROM_COURT',
  APPEAL: 'FROM_COURT',
  ACQUITTED: 'FROM_COURT',
  REMAND: 'FROM_COURT',
};

export function releaseKindOf(reason: string | undefined): ReleaseKind {
  if (!reason) return 'OTHER';
  return (releaseKinds as readonly string[]).includes(reason)
    ? (reason as ReleaseKind)
    : (releaseWords[reason.toUpperCase().replace(/[\s-]+/g, '_')] ?? 'OTHER');
}

/** What a kind of release says about planning by itself: from court is never planned; HDC always is. */
export function plannedByKind(kind: ReleaseKind): boolean | undefined {
  if (kind === 'FROM_COURT') return false;
  if (kind === 'HDC') return true;
  return undefined;
}

/** An HDC release needs an approved curfew address: the person has somewhere to live on night 1. */
export function addressApprovedByKind(kind: ReleaseKind): boolean {
  return kind === 'HDC';
}

const actionWords: Record<MovementAction, string> = {
  RELEASE: 'open or update the release case; alert as the rules say',
  CLOSE: 'record and count; close a scheduled release',
  RETURN: 'record and count; close a release case as returned',
  RECORD: 'record and count only',
};

/** The table as published in events/README.md (between the movement-table markers). */
export function movementTableMarkdown(): string {
  const rows = movementTable.map((e) => {
    const codes = e.codes === 'other' ? 'any other' : e.codes.map((c) => `\`${c}\``).join(' ');
    const kind = e.releaseKind ? `${e.kind} (${e.releaseKind})` : e.kind;
    return `| \`${e.event}\` | \`${e.reason}\` | ${codes} | ${kind} | ${actionWords[e.action]}${e.review ? '; **flagged for review**' : ''} | ${e.meaning} |`;
  });
  return [
    '| event | reason | `nomisMovementReasonCode` | kind | what Gatehouse does | meaning |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
