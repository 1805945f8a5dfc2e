import { describe, expect, it } from 'vitest';
import { fetchReleaseFacts } from '#use-cases/fetch-release-facts';
import type { ReleaseFactsSources, SourceOutcome } from '#use-cases/release-facts-ports';
import { postcodeAreas } from '#adapters/postcode-areas';

const at = '2026-11-20T17:26:00.000Z';
const clock = () => new Date(at);
const ok = <T>(value: T): SourceOutcome<T> => ({ outcome: 'ok', value, fetchedAt: at });

function sources(
  overrides: Partial<{ [K in keyof ReleaseFactsSources]: Partial<ReleaseFactsSources[K]> }> = {},
): ReleaseFactsSources & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    prisonerSearch: {
      prisoner: async (pn) => {
        asked.push(`prisoner ${pn}`);
        return ok({ prisonerNumber: pn, confirmedReleaseDate: '2026-11-20' });
      },
      ...overrides.prisonerSearch,
    },
    probation: {
      probationRecord: async () =>
        ok({ crn: 'X123456', mainAddress: { postcode: 'DL3 7BJ', noFixedAbode: false } }),
      ...overrides.probation,
    },
    resettlementPassport: {
      resettlement: async () =>
        ok({ pathways: [{ pathway: 'ACCOMMODATION' as const, status: 'SUPPORT_REQUIRED' as const }] }),
      ...overrides.resettlementPassport,
    },
    cas3: {
      referrals: async (crn) => {
        asked.push(`cas3 ${crn}`);
        return ok([]);
      },
      ...overrides.cas3,
    },
  };
}

describe('fetching the facts of a release', () => {
  it('composes the four sources into facts with their provenance', async () => {
    const s = sources();
    const result = await fetchReleaseFacts(
      'A1234BC',
      { releasedAt: '2026-11-20T10:00:00Z' },
      { sources: s, areas: postcodeAreas(), clock },
    );
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.facts.releaseType?.value).toEqual({
      type: 'planned',
      reason: 'released on 2026-11-20, the release date HMPPS had confirmed',
    });
    expect(result.facts.destinationLocalAuthority).toMatchObject({ value: 'E06000005', source: 'probation' });
    expect(result.facts.needs?.value).toEqual(['ACCOMMODATION']);
    expect(s.asked).toEqual(['prisoner A1234BC', 'cas3 X123456']);
  });

  it('does not ask CAS3 without a CRN, and says why', async () => {
    const s = sources({
      probation: { probationRecord: async () => ({ outcome: 'not-found', fetchedAt: at }) },
    });
    const result = await fetchReleaseFacts(
      'A1234BC',
      { releasedAt: '2026-11-20T10:00:00Z' },
      { sources: s, areas: postcodeAreas(), clock },
    );
    expect(result.sources.cas3).toEqual({
      outcome: 'not-asked',
      reason: 'no probation record, so no CRN to ask CAS3 with',
    });
    expect(result.complete).toBe(true);
    expect(s.asked).not.toContain('cas3 X123456');
  });

  it('names what could not be fetched and still returns what could', async () => {
    const s = sources({
      prisonerSearch: {
        prisoner: async () => ({
          outcome: 'unavailable',
          cause: 'failed',
          reason: 'Prisoner Search answered 503 (3 attempts)',
        }),
      },
    });
    const result = await fetchReleaseFacts(
      'A1234BC',
      { releasedAt: '2026-11-20T10:00:00Z', fromCourt: true },
      { sources: s, areas: postcodeAreas(), clock },
    );
    expect(result.complete).toBe(false);
    expect(result.missing).toEqual(['Prisoner Search']);
    expect(result.facts.releaseType).toBeUndefined();
    expect(result.facts.destinationLocalAuthority?.value).toBe('E06000005');
  });

  it('counts CAS3 as missing when the probation record that would key it is unavailable', async () => {
    const s = sources({
      probation: {
        probationRecord: async () => ({
          outcome: 'unavailable',
          cause: 'timeout',
          reason: 'Probation did not answer within 3000 ms (3 attempts)',
        }),
      },
    });
    const result = await fetchReleaseFacts(
      'A1234BC',
      { releasedAt: '2026-11-20T10:00:00Z' },
      { sources: s, areas: postcodeAreas(), clock },
    );
    expect(result.missing).toEqual(['the probation record', 'CAS3']);
  });
});
