/**
 * A week at HMP Durham, 16–22 November 2026, as the demo plays it. Prison numbers are invented.
 */
import type { CustodyEvent } from '#events/custody-event';
import { movementFor } from '#domain/movements';

export interface DemoStep {
  /** What a person watching the demo is told. */
  say: string;
  events: unknown[];
}

const dmi = { prisonId: 'DMI' } as const;
const durham = 'E06000047';
const darlington = 'E06000005';

const fridayFromCourt = released('demo-0007', 'A1234BC', '2026-11-20T16:40:00Z', {
  reason: 'RELEASED_FROM_COURT',
  destinationLocalAuthority: darlington,
  accommodation: 'NO_FIXED_ABODE',
  aftercarePlan: 'NONE',
  needs: ['DRUGS_AND_ALCOHOL', 'HEALTH'],
  cohorts: ['IOM'],
});

export const demoWeek: DemoStep[] = [
  {
    say: 'Monday: HMP Durham schedules three releases for the week',
    events: [
      scheduled('demo-0001', 'B2345CD', '2026-11-17', {
        destinationLocalAuthority: durham,
        accommodation: 'SETTLED',
        aftercarePlan: 'IN_PLACE',
        needs: ['EDUCATION_SKILLS_AND_WORK'],
      }),
      scheduled('demo-0002', 'C3456DE', '2026-11-19', {
        destinationLocalAuthority: darlington,
        accommodation: 'CAS3',
        aftercarePlan: 'NONE',
        needs: ['HEALTH', 'FINANCE_AND_ID'],
      }),
      scheduled('demo-0003', 'D4567EF', '2026-11-20', {
        destinationLocalAuthority: durham,
        accommodation: 'NO_FIXED_ABODE',
        aftercarePlan: 'IN_PLACE',
        needs: ['ACCOMMODATION', 'DRUGS_AND_ALCOHOL'],
        cohorts: ['IOM'],
      }),
    ],
  },
  {
    say: 'Tuesday 10:15: a planned release to County Durham, housed, with an aftercare plan',
    events: [released('demo-0004', 'B2345CD', '2026-11-17T10:15:00Z', {})],
  },
  {
    say: 'Thursday 11:00: a planned release to Darlington into CAS3, but no aftercare plan',
    events: [released('demo-0005', 'C3456DE', '2026-11-19T11:00:00Z', {})],
  },
  {
    say: 'Friday 15:30: the planned Friday release to County Durham, still no fixed abode',
    events: [released('demo-0006', 'D4567EF', '2026-11-20T15:30:00Z', {})],
  },
  {
    say: 'Friday 16:40: released from court to Darlington, unplanned, no fixed abode, no aftercare plan, drug and alcohol needs (sent twice, as producers do)',
    // The same event delivered twice: Gatehouse must record it, count it and page for it once.
    events: [fridayFromCourt, fridayFromCourt],
  },
];

/**
 * The people of the demo's HMPPS-facts steps (demo.ts): bare HMPPS releases whose facts Gatehouse fetches from the
 * HMPPS stand-ins, which know them (local/stand-ins/hmpps). Their events are built in those steps.
 */
export const demoFactsPeople = {
  /** Confirmed release date today, an address in Darlington, nowhere to stay: pages Darlington. */
  bareRelease: 'E5678FG',
  /** Released while Prisoner Search is switched off: paged after the wait, saying what could not be fetched. */
  detailsUnavailable: 'H7890HJ',
  /** Home detention curfew with an approved curfew address: pages nobody. */
  curfew: 'F6789GH',
} as const;

/**
 * Friday evening: a second release from court to Darlington, after the first alert was taken. The primary on call's
 * phone is off: the local Notify accepts the page, then reports it failed, and the secondary is paged at once.
 */
export const demoFailedPage = {
  say: "Friday 18:10: released from court to Darlington, no fixed abode, no aftercare plan; the primary on call's phone is off",
  event: released('demo-0008', 'H8901JK', '2026-11-20T18:10:00Z', {
    reason: 'RELEASED_FROM_COURT',
    destinationLocalAuthority: darlington,
    accommodation: 'NO_FIXED_ABODE',
    aftercarePlan: 'NONE',
    needs: ['ACCOMMODATION'],
  }),
};

/** An event a producer got wrong: the demo shows how Gatehouse answers it. */
export const demoMistake = {
  say: 'A producer sends an event with a mistyped prison number and an unknown accommodation status',
  event: {
    ...released('demo-0099', 'A1234BC', '2026-11-21T09:00:00Z', { accommodation: 'HOSTEL' as never }),
    person: { prisonNumber: 'A123BC' },
  },
};

type Circumstances = Partial<Extract<CustodyEvent, { eventType: 'prisoner.released' }>['release']>;

function scheduled(
  eventId: string,
  prisonNumber: string,
  scheduledFor: string,
  release: Circumstances,
): CustodyEvent {
  return {
    eventId,
    eventType: 'release.scheduled',
    occurredAt: '2026-11-16T09:00:00Z',
    ...dmi,
    person: { prisonNumber },
    release: { scheduledFor, ...release },
  };
}

function released(
  eventId: string,
  prisonNumber: string,
  releasedAt: string,
  release: Circumstances,
): CustodyEvent {
  return {
    eventId,
    eventType: 'prisoner.released',
    occurredAt: releasedAt,
    ...dmi,
    person: { prisonNumber },
    release: { releasedAt, ...release },
  };
}

/** A partner file with a few mistakes: the demo drops it into S3 and prints the report the partner gets. */
export const demoPartnerFile = {
  say: "Monday 23rd: Darlington housing options drops last week's accommodation outcomes; three rows have mistakes",
  key: 'incoming/darlington-housing/accommodation-outcome/week 47 outcomes.csv',
  csv: [
    'Prison Number,Release Date,Local Authority,Night 1,Day 7,Notes',
    'C3456DE,2026-11-19,E06000005,CAS3,CAS3,moved in Thursday',
    'A1234BC,2026-11-20,E06000005,NO_FIXED_ABODE,TEMPORARY,"rough slept Friday, hostel from Monday"',
    'D4567EF,20/11/2026,E06000047,NO_FIXED_ABODE,,',
    'E5678F,2026-11-18,E06000005,SETTLED,,',
    'F6789GH,2026-11-18,E06000005,Sofa surfing,,',
  ].join('\r\n'),
};

/**
 * A movement that is not a release: HMPPS says RELEASED, the movement code says a secure hospital. The demo shows it
 * recorded and counted, with nobody paged, and says why (the movement table's words).
 */
export const demoHospitalDetention = {
  say: 'HMPPS reports a man "RELEASED" from HMP Durham with movement code HO',
  event: {
    Type: 'Notification',
    MessageId: '0c2f3a6e-7d41-5b8e-9a10-4e6b2d9f8c31',
    TopicArn: 'arn:aws:sns:eu-west-2:000000000000:hmpps-domain-events',
    Message: JSON.stringify({
      eventType: 'prison-offender-events.prisoner.released',
      additionalInformation: {
        nomsNumber: 'G7890HJ',
        reason: 'RELEASED',
        details: 'Movement reason code HO',
        nomisMovementReasonCode: 'HO',
        currentLocation: 'OUTSIDE_PRISON',
        prisonId: 'DMI',
        currentPrisonStatus: 'NOT_UNDER_PRISON_CARE',
      },
      version: 1,
      occurredAt: '2026-11-20T07:10:00Z',
      publishedAt: '2026-11-20T07:55:00Z',
      description: 'A prisoner has been released from prison',
      personReference: { identifiers: [{ type: 'NOMS', value: 'G7890HJ' }] },
    }),
    Timestamp: '2026-11-20T07:55:00.000Z',
    SignatureVersion: '1',
    MessageAttributes: {
      traceparent: { Type: 'String', Value: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      eventType: { Type: 'String', Value: 'prison-offender-events.prisoner.released' },
    },
  },
};

/** Plays the hospital detention and prints what Gatehouse made of it: one call from the demo. */
export async function showHospitalDetention(
  gatehouse: { url: string; settle(): Promise<void> },
  print: (line?: string) => void,
): Promise<void> {
  const alertsBefore = ((await (await fetch(`${gatehouse.url}/alerts`)).json()) as { alerts: unknown[] })
    .alerts.length;
  const response = await fetch(`${gatehouse.url}/custody-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoHospitalDetention.event),
  });
  await gatehouse.settle();
  const view = (await (await fetch(`${gatehouse.url}/cases/G7890HJ`)).json()) as {
    cases: unknown[];
    movements: { kind: string; code: string }[];
  };
  const alertsAfter = ((await (await fetch(`${gatehouse.url}/alerts`)).json()) as { alerts: unknown[] })
    .alerts.length;
  const { kind, code } = view.movements[0]!;
  print(`  → HTTP ${response.status}; recorded as ${kind} (code ${code}), counted in movements.kind.${kind}`);
  print(
    `  No page, no referral, no release case (${alertsAfter - alertsBefore} alerts, ${view.cases.length} cases): ${movementFor('prison-offender-events.prisoner.released', 'RELEASED', code).entry.meaning}.`,
  );
}
