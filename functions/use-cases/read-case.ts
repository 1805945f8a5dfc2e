/**
 * Read a person's release cases, as a case worker, audited.
 *
 * 1. Only a case worker (a group for at least one area, and the cases scope where tokens carry scopes) may read.
 * 2. Load the person; keep the cases of the caller's areas (and those whose destination is not known yet).
 * 3. Record the read — who, when, which person, which cases, what came of it — before answering: a read that
 *    cannot be audited is not answered.
 */
import { caseAreas, visibleCases, type Caller } from '#domain/access';
import type { PersonReleases, ReleaseCase } from '#domain/release-case';
import type { ReleaseStore } from './record-custody-event';

export interface CaseRead {
  readerId: string;
  at: string;
  prisonNumber: string;
  /** The cases shown (none when refused or not found). */
  caseRefs: string[];
  outcome: 'shown' | 'not-found' | 'refused';
  /** The request's id, so two reads in the same millisecond are two entries. */
  requestId: string;
}

/** The port: an append-only store of case reads. */
export interface CaseReadAudit {
  record(read: CaseRead): Promise<void>;
}

export interface ReadCaseDependencies {
  releases: Pick<ReleaseStore, 'loadPerson'>;
  audit: CaseReadAudit;
  clock: () => Date;
}

export type ReadCaseResult =
  | { outcome: 'refused'; why: string }
  | { outcome: 'not-found' }
  | { outcome: 'shown'; person: PersonReleases; cases: ReleaseCase[] };

export async function readCase(
  prisonNumber: string,
  caller: Caller | undefined,
  requestId: string,
  deps: ReadCaseDependencies,
): Promise<ReadCaseResult> {
  const areas = caseAreas(caller);
  const audit = (outcome: CaseRead['outcome'], caseRefs: string[] = []) =>
    deps.audit.record({
      readerId: caller?.id ?? 'anonymous',
      at: deps.clock().toISOString(),
      prisonNumber,
      caseRefs,
      outcome,
      requestId,
    });
  if (areas.length === 0) {
    await audit('refused');
    return {
      outcome: 'refused',
      why: 'reading cases needs a case worker of an area (Cognito group case-workers-{area code}) and the gatehouse/cases.read scope',
    };
  }
  const person = await deps.releases.loadPerson(prisonNumber);
  const cases = person ? visibleCases(person.cases, areas) : [];
  // A person with cases only in other areas is, to this caller, no person at all (no existence oracle).
  if (!person || (person.cases.length > 0 && cases.length === 0)) {
    await audit('not-found');
    return { outcome: 'not-found' };
  }
  await audit(
    'shown',
    cases.map((c) => c.caseRef),
  );
  return { outcome: 'shown', person, cases };
}
