/**
 * The people the HMPPS stand-ins know, each as HMPPS's services would answer for them. The demo's people
 * (local/demo-scenario.ts, the week of 16-22 November 2026) come first, then generated ones. Everyone is
 * invented; the answers carry fields Gatehouse does not read (names, booking ids) because HMPPS's do.
 */
import type { Pathway } from '#events/custody-event';
import type { Cas3BookingStatus, PathwayStatus } from '#domain/release-facts';

export interface StandInPerson {
  prisonNumber: string;
  /** The Prisoner Search record (GET /prisoner/{id}), in its published shape. */
  prisoner: Record<string, unknown>;
  /** The probation record: undefined when Delius has no case linked to the NOMS number. */
  probation?: {
    crn: string;
    /** The duty-to-refer NSI with the main address; undefined when Delius holds none. */
    dutyToRefer?: Record<string, unknown>;
  };
  /** The Resettlement Passport's prisoner (GET /resettlement-passport/prisoner/{nomsId}); undefined when unknown there. */
  resettlement?: Record<string, unknown>;
  /** CAS3 referral history for the CRN. */
  cas3: Record<string, unknown>[];
}

interface Circumstances {
  prisonNumber: string;
  names: [string, string];
  legalStatus: string;
  confirmedReleaseDate?: string;
  homeDetentionCurfewActualDate?: string;
  crn?: string;
  address?: { postcode: string; noFixedAbode?: boolean } | 'none';
  pathways?: Partial<Record<Pathway, PathwayStatus>>;
  cas3?: { bookingStatus: Cas3BookingStatus; localAuthorityArea: string; date: string }[];
  inResettlementPassport?: boolean;
}

export function person(c: Circumstances): StandInPerson {
  const [firstName, lastName] = c.names;
  // Prisoner Search leaves out null fields (spring.jackson.default-property-inclusion: non_null).
  const dateOf = (d?: string) => d;
  return {
    prisonNumber: c.prisonNumber,
    prisoner: withoutUndefined({
      prisonerNumber: c.prisonNumber,
      bookingId: String(1_200_000 + Number(c.prisonNumber.slice(1, 5))),
      firstName,
      lastName,
      status: 'ACTIVE IN',
      inOutStatus: 'IN',
      legalStatus: c.legalStatus,
      prisonId: 'DMI',
      prisonName: 'Durham (HMP)',
      lastMovementTypeCode: 'ADM',
      lastMovementReasonCode: 'N',
      lastMovementDate: '2026-05-04',
      confirmedReleaseDate: dateOf(c.confirmedReleaseDate),
      releaseDate: dateOf(c.confirmedReleaseDate),
      conditionalReleaseDate: dateOf(c.confirmedReleaseDate),
      homeDetentionCurfewEligibilityDate: dateOf(c.homeDetentionCurfewActualDate),
      homeDetentionCurfewActualDate: dateOf(c.homeDetentionCurfewActualDate),
      recall: false,
    }),
    ...(c.crn
      ? {
          probation: {
            crn: c.crn,
            ...(c.address && c.address !== 'none'
              ? {
                  dutyToRefer: {
                    nsiSubType: 'Duty to Refer',
                    referralDate: '2026-10-01',
                    provider: 'North East',
                    team: 'Resettlement Team',
                    officer: { forename: 'Sam', surname: 'Officer', middleName: null },
                    status: 'Initiated',
                    startDateTime: '2026-10-01T10:00:00+01:00',
                    notes: null,
                    mainAddress: {
                      buildingName: null,
                      addressNumber: '12',
                      streetName: 'Invented Street',
                      district: null,
                      town: c.address.postcode.startsWith('DL') ? 'Darlington' : 'Durham',
                      county: null,
                      postcode: c.address.noFixedAbode ? null : c.address.postcode,
                      noFixedAbode: c.address.noFixedAbode ?? false,
                    },
                  },
                }
              : {}),
          },
        }
      : {}),
    ...(c.inResettlementPassport === false
      ? {}
      : {
          resettlement: {
            personalDetails: {
              prisonerNumber: c.prisonNumber,
              prisonId: 'DMI',
              firstName,
              lastName,
              isHomeDetention: Boolean(c.homeDetentionCurfewActualDate),
              isRecall: false,
            },
            pathways: Object.entries(c.pathways ?? {}).map(([pathway, status]) => ({
              pathway,
              status,
              lastDateChange: '2026-11-02',
            })),
            assessmentRequired: false,
            resettlementReviewAvailable: false,
            immediateNeedsSubmitted: true,
            preReleaseSubmitted: true,
            profile: { tags: [] },
            supportNeedsLegacyProfile: false,
          },
        }),
    cas3: (c.cas3 ?? []).map((r, i) => ({
      type: 'CAS3',
      id: `0b8d6a4e-0000-4000-8000-${String(i).padStart(4, '0')}${c.prisonNumber.slice(1, 5)}0000`,
      applicationId: `6f1c2b3a-0000-4000-8000-${String(i).padStart(4, '0')}${c.prisonNumber.slice(1, 5)}0000`,
      applicationStatus: 'submitted',
      assessmentStatus: 'closed',
      date: r.date,
      referralRejectionReason: null,
      referralRejectionReasonDetail: null,
      localAuthorityArea: r.localAuthorityArea,
      pdu: 'County Durham and Darlington',
      referredBy: { name: 'A Worker' },
      placementAddress: null,
      bookingStatus: r.bookingStatus,
      uiUrl: 'https://temporary-accommodation.example/referrals',
    })),
  };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** The demo's people, as HMPPS would hold them in the week of 16 November 2026. */
export const demoPeople: StandInPerson[] = [
  // Friday 16:40, released from court to Darlington, on remand: no date was ever confirmed; no fixed abode.
  person({
    prisonNumber: 'A1234BC',
    names: ['Alex', 'Example'],
    legalStatus: 'REMAND',
    crn: 'X100001',
    address: { postcode: 'DL1 4PQ', noFixedAbode: true },
    pathways: {
      ACCOMMODATION: 'SUPPORT_REQUIRED',
      DRUGS_AND_ALCOHOL: 'SUPPORT_REQUIRED',
      HEALTH: 'IN_PROGRESS',
    },
  }),
  person({
    prisonNumber: 'B2345CD',
    names: ['Bea', 'Example'],
    legalStatus: 'SENTENCED',
    confirmedReleaseDate: '2026-11-17',
    crn: 'X100002',
    address: { postcode: 'DH1 3NJ' },
    pathways: { ACCOMMODATION: 'SUPPORT_NOT_REQUIRED', EDUCATION_SKILLS_AND_WORK: 'IN_PROGRESS' },
  }),
  person({
    prisonNumber: 'C3456DE',
    names: ['Cal', 'Example'],
    legalStatus: 'SENTENCED',
    confirmedReleaseDate: '2026-11-19',
    crn: 'X100003',
    address: { postcode: 'DL3 7BJ' },
    pathways: { ACCOMMODATION: 'DONE', HEALTH: 'SUPPORT_REQUIRED', FINANCE_AND_ID: 'IN_PROGRESS' },
    cas3: [{ bookingStatus: 'confirmed', localAuthorityArea: 'Darlington', date: '2026-11-10' }],
  }),
  person({
    prisonNumber: 'D4567EF',
    names: ['Dee', 'Example'],
    legalStatus: 'SENTENCED',
    confirmedReleaseDate: '2026-11-20',
    crn: 'X100004',
    address: { postcode: 'DH7 8EJ', noFixedAbode: true },
    pathways: { ACCOMMODATION: 'SUPPORT_REQUIRED', DRUGS_AND_ALCOHOL: 'IN_PROGRESS' },
  }),
  // A bare HMPPS release the stand-ins know: confirmed for Friday, an address in Darlington, nowhere to stay yet.
  person({
    prisonNumber: 'E5678FG',
    names: ['Eli', 'Example'],
    legalStatus: 'SENTENCED',
    confirmedReleaseDate: '2026-11-20',
    crn: 'X100005',
    address: { postcode: 'DL1 5JD' },
    pathways: { ACCOMMODATION: 'SUPPORT_REQUIRED', HEALTH: 'SUPPORT_REQUIRED' },
  }),
  // Home detention curfew on Friday, with its approved curfew address in County Durham.
  person({
    prisonNumber: 'F6789GH',
    names: ['Fay', 'Example'],
    legalStatus: 'SENTENCED',
    confirmedReleaseDate: '2026-11-20',
    homeDetentionCurfewActualDate: '2026-11-20',
    crn: 'X100006',
    address: { postcode: 'DL14 6LE' },
    pathways: { ACCOMMODATION: 'DONE' },
  }),
];

const postcodesInLookup = [
  'DL1 1AB',
  'DL1 4PQ',
  'DL2 2XS',
  'DL3 0QN',
  'DL3 6AH',
  'DH1 2QR',
  'DH9 0RD',
  'DL15 8AN',
  'DL16 6DG',
  'DL17 0AB',
];
/** Real-looking postcodes the sample lookup does not hold: their area must come out "not known". */
const postcodesOutside = ['TS1 2AB', 'NE1 4XF', 'DL5 4SE'];
const pathwayNames: Pathway[] = [
  'ACCOMMODATION',
  'ATTITUDES_THINKING_AND_BEHAVIOUR',
  'CHILDREN_FAMILIES_AND_COMMUNITY',
  'DRUGS_AND_ALCOHOL',
  'EDUCATION_SKILLS_AND_WORK',
  'FINANCE_AND_ID',
  'HEALTH',
];
const statuses: PathwayStatus[] = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'SUPPORT_NOT_REQUIRED',
  'SUPPORT_DECLINED',
  'DONE',
  'SUPPORT_REQUIRED',
];
const bookingStatuses: Cas3BookingStatus[] = [
  'arrived',
  'notMinusArrived',
  'departed',
  'cancelled',
  'provisional',
  'confirmed',
  'closed',
];
const legalStatuses = ['SENTENCED', 'SENTENCED', 'SENTENCED', 'REMAND', 'RECALL', 'CONVICTED_UNSENTENCED'];

/** `count` more people, the same for the same seed: every branch of the sources' answers appears among them. */
export function generatedPeople(count: number, seed = 13): StandInPerson[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from({ length: count }, (_, i) => {
    const prisonNumber = `G${String(1000 + i).padStart(4, '0')}${letters[i % letters.length]}${letters[Math.floor(i / letters.length) % letters.length]}`;
    const day = 16 + Math.floor(next() * 7);
    const confirmed = next() < 0.7 ? `2026-11-${day}` : undefined;
    const linked = next() < 0.85;
    const postcode = next() < 0.8 ? pick(postcodesInLookup) : pick(postcodesOutside);
    const address = next() < 0.15 ? ('none' as const) : { postcode, noFixedAbode: next() < 0.2 };
    const pathways = Object.fromEntries(
      pathwayNames.filter(() => next() < 0.5).map((p) => [p, pick(statuses)]),
    );
    const cas3 =
      next() < 0.3
        ? [
            {
              bookingStatus: pick(bookingStatuses),
              localAuthorityArea: pick(['Darlington', 'County Durham', 'Stockton-on-Tees']),
              date: `2026-11-${String(1 + Math.floor(next() * 15)).padStart(2, '0')}`,
            },
          ]
        : [];
    return person({
      prisonNumber,
      names: [pick(['Jo', 'Max', 'Ray', 'Kit', 'Lee']), `Generated${i}`],
      legalStatus: pick(legalStatuses),
      ...(confirmed ? { confirmedReleaseDate: confirmed } : {}),
      ...(confirmed && next() < 0.15 ? { homeDetentionCurfewActualDate: confirmed } : {}),
      ...(linked ? { crn: `Y${String(200000 + i)}` } : {}),
      address,
      pathways,
      cas3,
      inResettlementPassport: next() < 0.9,
    });
  });
}

export const standInPeople: StandInPerson[] = [...demoPeople, ...generatedPeople(40)];
