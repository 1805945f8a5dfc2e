import { describe, expect, it } from 'vitest';
import {
  changedFacts,
  decideReleaseType,
  factsFromSources,
  mergeFacts,
  releaseFields,
  type PrisonerRecord,
  type ReleaseFacts,
} from '#domain/release-facts';
import { parsePostcodeAreas, postcodeAreasFormat } from '#domain/postcode-areas';

const areas = parsePostcodeAreas({
  format: postcodeAreasFormat,
  source: 'test',
  sample: true,
  areas: { E06000005: 'Darlington', E06000047: 'County Durham' },
  postcodes: { 'DL1 1': 'E06000005', DH1: 'E06000047' },
});
const friday = '2026-11-20T16:40:00Z';
const fetchedAt = '2026-11-20T17:26:00Z';
const prisoner = (extra: Partial<PrisonerRecord> = {}): PrisonerRecord => ({
  prisonerNumber: 'A1234BC',
  legalStatus: 'SENTENCED',
  ...extra,
});

describe('planned or unplanned, decided from data', () => {
  it('calls a release on the date HMPPS had confirmed planned', () => {
    expect(
      decideReleaseType({ releasedAt: friday }, prisoner({ confirmedReleaseDate: '2026-11-20' })),
    ).toEqual({
      type: 'planned',
      reason: 'released on 2026-11-20, the release date HMPPS had confirmed',
    });
  });

  it('reads the release day in London time: 23:30 UTC on a summer Thursday is Friday', () => {
    expect(
      decideReleaseType(
        { releasedAt: '2026-06-18T23:30:00Z' },
        prisoner({ confirmedReleaseDate: '2026-06-19' }),
      )?.type,
    ).toBe('planned');
  });

  it('says why a release from court with no confirmed date is unplanned', () => {
    expect(
      decideReleaseType({ releasedAt: friday, fromCourt: true }, prisoner({ legalStatus: 'REMAND' })),
    ).toEqual({
      type: 'unplanned',
      reason: 'released from court; no release date was confirmed',
    });
  });

  it('says when someone on remand was released with no date on record', () => {
    expect(decideReleaseType({ releasedAt: friday }, prisoner({ legalStatus: 'REMAND' }))?.reason).toBe(
      'released while on remand; no release date was confirmed',
    );
  });

  it('calls a release on another day than the confirmed one unplanned, naming both days', () => {
    expect(
      decideReleaseType({ releasedAt: friday }, prisoner({ confirmedReleaseDate: '2026-11-23' })),
    ).toEqual({
      type: 'unplanned',
      reason: 'released on 2026-11-20, not on the confirmed release date 2026-11-23',
    });
  });

  it('counts a schedule Gatehouse was told before the release, but not one told after it', () => {
    const scheduled = { date: '2026-11-20', receivedAt: '2026-11-16T09:00:00Z' };
    expect(decideReleaseType({ releasedAt: friday, scheduled }, prisoner())?.type).toBe('planned');
    expect(
      decideReleaseType(
        { releasedAt: friday, scheduled: { ...scheduled, receivedAt: '2026-11-20T17:00:00Z' } },
        prisoner(),
      )?.type,
    ).toBe('unplanned');
  });

  it('cannot tell without the record or a schedule', () => {
    expect(decideReleaseType({ releasedAt: friday })).toBeUndefined();
  });
});

describe('facts from what the sources answered', () => {
  it('places a Darlington postcode in Darlington and says how, without the postcode', () => {
    const facts = factsFromSources(
      {
        prisoner: prisoner({ confirmedReleaseDate: '2026-11-20' }),
        probation: { crn: 'X123456', mainAddress: { postcode: 'DL1 1QX', noFixedAbode: false } },
      },
      { releasedAt: friday },
      areas,
      fetchedAt,
    );
    expect(facts.destinationLocalAuthority).toEqual({
      value: 'E06000005',
      source: 'probation',
      at: fetchedAt,
      how: 'Delius main address: its sector is in Darlington',
    });
    expect(facts.crn).toMatchObject({ value: 'X123456', source: 'probation' });
    expect(facts.releaseType?.value.type).toBe('planned');
    expect(JSON.stringify(facts)).not.toContain('DL1 1QX');
  });

  it('says "area not known" for a postcode outside the lookup, never a guess', () => {
    const facts = factsFromSources(
      { probation: { crn: 'X1', mainAddress: { postcode: 'TS1 1AA' } } },
      { releasedAt: friday },
      areas,
      fetchedAt,
    );
    expect(facts.destinationLocalAuthority).toMatchObject({
      value: 'UNKNOWN',
      how: expect.stringContaining('area not known'),
    });
  });

  it('records no fixed abode from Delius', () => {
    const facts = factsFromSources(
      { probation: { crn: 'X1', mainAddress: { noFixedAbode: true, postcode: 'DL1 1QX' } } },
      { releasedAt: friday },
      areas,
      fetchedAt,
    );
    expect(facts.accommodation?.value).toBe('NO_FIXED_ABODE');
    expect(facts.destinationLocalAuthority).toBeUndefined();
  });

  it('puts a confirmed CAS3 bed before everything else, and its referral area before the Delius address', () => {
    const facts = factsFromSources(
      {
        probation: { crn: 'X1', mainAddress: { noFixedAbode: true } },
        cas3: [
          { date: '2026-10-01', bookingStatus: 'cancelled', localAuthorityArea: 'County Durham' },
          { date: '2026-11-12', bookingStatus: 'confirmed', localAuthorityArea: 'Darlington' },
        ],
      },
      { releasedAt: friday },
      areas,
      fetchedAt,
    );
    expect(facts.accommodation).toMatchObject({
      value: 'CAS3',
      source: 'cas3',
      at: '2026-11-12T00:00:00.000Z',
    });
    expect(facts.destinationLocalAuthority).toMatchObject({ value: 'E06000005', source: 'cas3' });
  });

  it('knows a home detention curfew release has somewhere to sleep', () => {
    const facts = factsFromSources(
      {
        prisoner: prisoner({
          homeDetentionCurfewActualDate: '2026-11-20',
          confirmedReleaseDate: '2026-11-20',
        }),
      },
      { releasedAt: friday },
      areas,
      fetchedAt,
    );
    expect(facts.homeDetentionCurfew?.value).toBe(true);
    expect(facts.accommodation).toMatchObject({ value: 'SETTLED', how: 'home detention curfew address' });
  });

  it('reads needs from the pathways still needing support, dated by their last change', () => {
    const facts = factsFromSources(
      {
        resettlement: {
          pathways: [
            { pathway: 'ACCOMMODATION', status: 'SUPPORT_REQUIRED', lastDateChange: '2026-11-02' },
            { pathway: 'HEALTH', status: 'IN_PROGRESS', lastDateChange: '2026-11-10' },
            { pathway: 'FINANCE_AND_ID', status: 'DONE', lastDateChange: '2026-10-01' },
            { pathway: 'DRUGS_AND_ALCOHOL', status: 'SUPPORT_DECLINED' },
          ],
        },
      },
      { releasedAt: friday },
      areas,
      fetchedAt,
    );
    expect(facts.needs).toMatchObject({
      value: ['ACCOMMODATION', 'HEALTH'],
      source: 'resettlement-passport',
      at: '2026-11-10T00:00:00.000Z',
    });
    expect(facts.accommodation).toBeUndefined();
  });
});

describe('merging facts', () => {
  const told: ReleaseFacts = {
    accommodation: { value: 'CAS3', source: 'partner-file', at: '2026-11-20T10:00:00Z' },
    destinationLocalAuthority: { value: 'E06000005', source: 'gatehouse-event', at: '2026-11-16T09:00:00Z' },
  };

  it('keeps what Gatehouse was told when it is newer than what was fetched', () => {
    const merged = mergeFacts(told, {
      accommodation: { value: 'NO_FIXED_ABODE', source: 'probation', at: '2026-11-19T00:00:00Z' },
    });
    expect(merged.accommodation).toMatchObject({ value: 'CAS3', source: 'partner-file' });
  });

  it('takes a fetched fact that is newer, and adds facts Gatehouse did not have', () => {
    const merged = mergeFacts(told, {
      destinationLocalAuthority: { value: 'E06000047', source: 'probation', at: fetchedAt },
      crn: { value: 'X1', source: 'probation', at: fetchedAt },
    });
    expect(merged.destinationLocalAuthority).toMatchObject({ value: 'E06000047', source: 'probation' });
    expect(merged.crn?.value).toBe('X1');
    expect(merged.accommodation?.source).toBe('partner-file');
  });

  it('prefers what Gatehouse was told over a fetched fact of the same instant, whichever comes second', () => {
    const fetched: ReleaseFacts = {
      accommodation: { value: 'NO_FIXED_ABODE', source: 'probation', at: '2026-11-20T10:00:00Z' },
    };
    expect(mergeFacts(told, fetched).accommodation?.source).toBe('partner-file');
    expect(mergeFacts(fetched, told).accommodation?.source).toBe('partner-file');
  });
});

describe('facts for the enrichment step', () => {
  const facts: ReleaseFacts = {
    crn: { value: 'X1', source: 'probation', at: fetchedAt },
    releaseType: {
      value: { type: 'unplanned', reason: 'no release date was confirmed' },
      source: 'prisoner-search',
      at: fetchedAt,
    },
    destinationLocalAuthority: { value: 'E06000005', source: 'probation', at: fetchedAt },
    needs: { value: ['HEALTH'], source: 'resettlement-passport', at: fetchedAt },
  };

  it('gives the release fields of a custody event', () => {
    expect(releaseFields(facts)).toEqual({
      crn: 'X1',
      type: 'unplanned',
      destinationLocalAuthority: 'E06000005',
      needs: ['HEALTH'],
    });
    expect(releaseFields({})).toEqual({});
  });

  it('names the facts a later fetch changed, not the ones it only re-dated', () => {
    const later: ReleaseFacts = {
      ...facts,
      crn: { value: 'X1', source: 'probation', at: '2026-11-20T17:40:00Z' },
      destinationLocalAuthority: { value: 'E06000047', source: 'probation', at: '2026-11-20T17:40:00Z' },
      accommodation: { value: 'CAS3', source: 'cas3', at: '2026-11-20T17:40:00Z' },
    };
    expect(changedFacts(facts, later)).toEqual(['accommodation', 'destinationLocalAuthority']);
    expect(changedFacts(facts, facts)).toEqual([]);
  });
});
