/**
 * The ports `fetch-release-facts` reads through: one per HMPPS source. The HTTP adapters in
 * functions/adapters/hmpps implement them; tests may pass in-memory ones.
 */
import type {
  Cas3Referral,
  PrisonerRecord,
  ProbationRecord,
  ResettlementRecord,
} from '#domain/release-facts';

/** Why a source gave nothing: what a person reading the case, or an operator, can act on. */
export type UnavailableCause =
  | 'timeout' // no answer in time
  | 'unreachable' // no connection
  | 'failed' // 5xx or 429 after the retries
  | 'refused' // 401/403 even with a fresh token, or another 4xx
  | 'auth' // HMPPS Auth would not give a token
  | 'invalid-response' // an answer without a field Gatehouse relies on
  | 'circuit-open'; // too many recent failures: not asked, to let it recover

export type SourceOutcome<T> =
  | { outcome: 'ok'; value: T; fetchedAt: string }
  | { outcome: 'not-found'; fetchedAt: string }
  | { outcome: 'unavailable'; cause: UnavailableCause; reason: string }
  /** Not asked, because it needs something another source did not give (CAS3 is keyed by CRN). */
  | { outcome: 'not-asked'; reason: string };

export interface PrisonerSearchPort {
  prisoner(prisonNumber: string): Promise<SourceOutcome<PrisonerRecord>>;
}

export interface ProbationPort {
  probationRecord(prisonNumber: string): Promise<SourceOutcome<ProbationRecord>>;
}

export interface ResettlementPassportPort {
  resettlement(prisonNumber: string): Promise<SourceOutcome<ResettlementRecord>>;
}

export interface Cas3Port {
  referrals(crn: string): Promise<SourceOutcome<Cas3Referral[]>>;
}

export interface ReleaseFactsSources {
  prisonerSearch: PrisonerSearchPort;
  probation: ProbationPort;
  resettlementPassport: ResettlementPassportPort;
  cas3: Cas3Port;
}
