/**
 * Fetch what an HMPPS event does not say about a release.
 *
 * 1. Ask Prisoner Search, the probation lookup and the Resettlement Passport at once, by prison number.
 * 2. With the CRN the probation lookup gave, ask CAS3 for the person's referrals and bookings.
 * 3. Turn the answers into facts with their sources (domain/release-facts): planned or not, where to, a bed, needs.
 * 4. Say per source what happened (ok, not found, unavailable and why, not asked), so the case can wait for the
 *    missing ones for a bounded time and then act on what is known, saying what could not be fetched.
 *
 * Never throws for a source's failure: every way a source can fail is an outcome.
 */
import type {
  Cas3Referral,
  PrisonerRecord,
  ProbationRecord,
  ReleaseCircumstances,
  ReleaseFacts,
  ResettlementRecord,
} from '#domain/release-facts';
import { factsFromSources } from '#domain/release-facts';
import type { PostcodeAreas } from '#domain/postcode-areas';
import type { ReleaseFactsSources, SourceOutcome } from './release-facts-ports';

export interface FetchReleaseFactsDependencies {
  sources: ReleaseFactsSources;
  areas: PostcodeAreas;
  clock: () => Date;
}

export interface FetchedReleaseFacts {
  facts: ReleaseFacts;
  sources: {
    prisonerSearch: SourceOutcome<PrisonerRecord>;
    probation: SourceOutcome<ProbationRecord>;
    resettlementPassport: SourceOutcome<ResettlementRecord>;
    cas3: SourceOutcome<Cas3Referral[]>;
  };
  /** Every source answered (found or not found): there is nothing more to wait for. */
  complete: boolean;
  /** The sources that could not be fetched, in words, for the message that says details are missing. */
  missing: string[];
}

export const sourceNames = {
  prisonerSearch: 'Prisoner Search',
  probation: 'the probation record',
  resettlementPassport: 'the Resettlement Passport',
  cas3: 'CAS3',
} as const;

export async function fetchReleaseFacts(
  prisonNumber: string,
  circumstances: ReleaseCircumstances,
  deps: FetchReleaseFactsDependencies,
): Promise<FetchedReleaseFacts> {
  const { sources } = deps;
  const [prisonerSearch, probation, resettlementPassport] = await Promise.all([
    sources.prisonerSearch.prisoner(prisonNumber),
    sources.probation.probationRecord(prisonNumber),
    sources.resettlementPassport.resettlement(prisonNumber),
  ]);
  const cas3: SourceOutcome<Cas3Referral[]> =
    probation.outcome === 'ok'
      ? await sources.cas3.referrals(probation.value.crn)
      : {
          outcome: 'not-asked',
          reason:
            probation.outcome === 'not-found'
              ? 'no probation record, so no CRN to ask CAS3 with'
              : 'the probation record could not be fetched, so there is no CRN to ask CAS3 with',
        };

  const outcomes = { prisonerSearch, probation, resettlementPassport, cas3 };
  const fetchedAt = deps.clock().toISOString();
  const facts = factsFromSources(
    {
      prisoner: okValue(prisonerSearch),
      probation: okValue(probation),
      resettlement: okValue(resettlementPassport),
      cas3: okValue(cas3),
    },
    circumstances,
    deps.areas,
    fetchedAt,
  );
  const missing = (Object.keys(outcomes) as (keyof typeof outcomes)[])
    .filter(
      (name) =>
        outcomes[name].outcome === 'unavailable' || (name === 'cas3' && probation.outcome === 'unavailable'),
    )
    .map((name) => sourceNames[name]);
  return { facts, sources: outcomes, complete: missing.length === 0, missing };
}

function okValue<T>(outcome: SourceOutcome<T>): T | undefined {
  return outcome.outcome === 'ok' ? outcome.value : undefined;
}
