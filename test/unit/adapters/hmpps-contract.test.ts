/**
 * The stand-ins' fixtures against the vendored, published shapes: every answer every fixture person would get
 * conforms to the trimmed OpenAPI of its source, and Gatehouse's zod schemas read it. If HMPPS's shape and ours
 * part, this fails before a stand-in can hide it.
 */
import { describe, expect, it } from 'vitest';
import {
  caseIdentifiersResponse,
  cas3ReferralsResponse,
  dutyToReferResponse,
  prisonerResponse,
  resettlementPrisonerResponse,
  tokenResponse,
} from '#adapters/hmpps/responses';
import { standInPeople } from '#local/stand-ins/hmpps/people';
import { conformance, responseSchema, vendoredSpec } from '#test-support/openapi-schema';

const prisonerSearch = vendoredSpec('prisoner-search');
const probation = vendoredSpec('resettlement-passport-and-delius');
const resettlement = vendoredSpec('resettlement-passport');
const cas3 = vendoredSpec('cas3');
const auth = vendoredSpec('hmpps-auth');

describe('the stand-ins answer in the published shapes', () => {
  it.each(standInPeople.map((p) => [p.prisonNumber, p] as const))('%s', (_, person) => {
    const checks: [
      ReturnType<typeof vendoredSpec>,
      string,
      unknown,
      { safeParse(v: unknown): { success: boolean } },
    ][] = [
      [prisonerSearch, '/prisoner/{id}', person.prisoner, prisonerResponse],
      [cas3, '/cas3/external/referrals/{crn}', person.cas3, cas3ReferralsResponse],
    ];
    if (person.probation)
      checks.push([
        probation,
        '/probation-cases/{nomsId}/crn',
        { crn: person.probation.crn },
        caseIdentifiersResponse,
      ]);
    if (person.probation?.dutyToRefer)
      checks.push([
        probation,
        '/duty-to-refer-nsi/{value}',
        person.probation.dutyToRefer,
        dutyToReferResponse,
      ]);
    if (person.resettlement)
      checks.push([
        resettlement,
        '/resettlement-passport/prisoner/{nomsId}',
        person.resettlement,
        resettlementPrisonerResponse,
      ]);
    for (const [spec, path, body, schema] of checks) {
      expect(conformance(spec, responseSchema(spec, path, 'get', '200'), body), path).toEqual([]);
      expect(schema.safeParse(body).success, path).toBe(true);
    }
  });

  it('covers every kind of answer among the fixtures', () => {
    expect(standInPeople.length).toBeGreaterThanOrEqual(40);
    expect(standInPeople.some((p) => !p.probation)).toBe(true);
    expect(standInPeople.some((p) => p.probation && !p.probation.dutyToRefer)).toBe(true);
    expect(standInPeople.some((p) => !p.resettlement)).toBe(true);
    expect(standInPeople.some((p) => p.cas3.length > 0)).toBe(true);
    expect(standInPeople.some((p) => !('confirmedReleaseDate' in p.prisoner))).toBe(true);
  });

  it("answers HMPPS Auth's token in its shape", () => {
    const body = {
      access_token: 'x',
      token_type: 'bearer',
      expires_in: 1200,
      scope: 'read',
      sub: 'gatehouse-local',
    };
    expect(conformance(auth, responseSchema(auth, '/auth/oauth/token', 'post', '200'), body)).toEqual([]);
    expect(tokenResponse.safeParse(body).success).toBe(true);
  });

  it('the check itself fails on a missing required field, a wrong type and a value outside an enum', () => {
    const schema = responseSchema(prisonerSearch, '/prisoner/{id}', 'get', '200');
    expect(
      conformance(prisonerSearch, schema, { legalStatus: 'FREE', confirmedReleaseDate: 20261120 }),
    ).toEqual([
      '$.prisonerNumber: required',
      '$.legalStatus: not one of RECALL, DEAD, INDETERMINATE_SENTENCE, SENTENCED, CONVICTED_UNSENTENCED, CIVIL_PRISONER, IMMIGRATION_DETAINEE, REMAND, UNKNOWN, OTHER',
      '$.confirmedReleaseDate: expected string, found integer',
    ]);
  });
});
