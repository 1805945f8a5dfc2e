import { describe, expect, it } from 'vitest';
import { partnerFileKinds, type Partner } from '#domain/partners';
import type { FileIdentity } from '#domain/partner-files/effects';
import { acceptRow, partnerFileKindEntries } from '#domain/partner-files/kinds';
import { columnsOf } from '#domain/partner-files/rows';

const council: Partner = {
  id: 'durham-housing',
  name: 'Durham housing',
  kinds: ['on-call-rota', 'accommodation-outcome'],
  rotaAreas: ['E06000047'],
  outcomeAreas: ['E06000047'],
};
const probation: Partner = {
  id: 'probation-durham',
  name: 'Probation',
  kinds: ['release-schedule', 'referral-outcome'],
  referralServices: ['ACCOMMODATION'],
};
const file = (kind: FileIdentity['kind'], partnerId = council.id): FileIdentity => ({
  sha256: `${partnerId}.abc`,
  partnerId,
  kind,
  file: `incoming/${partnerId}/${kind}/f.csv`,
  receivedAt: '2025-11-20T09:00:00Z',
});

const shift = {
  local_authority: 'E06000047',
  tier: 'primary' as const,
  start: '2025-11-21T17:00:00Z',
  end: '2025-11-22T09:00:00Z',
  channel: 'sms' as const,
  address: '07700 900123',
};

describe('the partner-file kinds registry', () => {
  it('has one entry for every kind a partner may send, whose schema is its template', () => {
    expect(Object.keys(partnerFileKindEntries).sort()).toEqual([...partnerFileKinds].sort());
    expect(columnsOf(partnerFileKindEntries['referral-outcome'].schema)).toEqual([
      { name: 'referral_id', required: true },
      { name: 'service', required: true },
      { name: 'referral_date', required: true },
      { name: 'outcome', required: true },
    ]);
  });

  it('refuses a rota row for another council’s area and names why', () => {
    expect(
      acceptRow('on-call-rota', { ...shift, local_authority: 'E06000005' }, 7, council, file('on-call-rota')),
    ).toEqual({
      ok: false,
      rejection: {
        line: 7,
        column: 'local_authority',
        value: 'E06000005',
        reason: 'durham-housing may set the on-call rota only for E06000047',
      },
    });
  });

  it('refuses a referral outcome for a service the partner does not run', () => {
    const row = {
      referral_id: 'R-1',
      service: 'HEALTH' as const,
      referral_date: '2025-11-16',
      outcome: 'ACCEPTED' as const,
    };
    expect(
      acceptRow('referral-outcome', row, 3, probation, file('referral-outcome', probation.id)),
    ).toMatchObject({ ok: false, rejection: { column: 'service', value: 'HEALTH' } });
  });

  it('makes one subject of the same shift, so the later row of a file wins in file order', () => {
    const first = acceptRow('on-call-rota', shift, 2, council, file('on-call-rota'));
    const again = acceptRow(
      'on-call-rota',
      { ...shift, address: '07700 900456' },
      3,
      council,
      file('on-call-rota'),
    );
    const other = acceptRow(
      'on-call-rota',
      { ...shift, tier: 'secondary' as const },
      4,
      council,
      file('on-call-rota'),
    );
    if (!first.ok || !again.ok || !other.ok) throw new Error('expected accepted rows');
    expect(again.effect.subject).toBe(first.effect.subject);
    expect(other.effect.subject).not.toBe(first.effect.subject);
    expect(first.effect).toMatchObject({
      rota: { address: '+447700900123', source: 'durham-housing:incoming/durham-housing/on-call-rota/f.csv' },
    });
  });

  it('makes every release-schedule row a custody event of one shared subject: events apply one chunk at a time', () => {
    const row = { prison_number: 'A1234BC', prison_id: 'DMI', scheduled_for: '2025-12-01' };
    const a = acceptRow('release-schedule', row, 2, probation, file('release-schedule', probation.id));
    const b = acceptRow(
      'release-schedule',
      { ...row, prison_number: 'B2345CD' },
      3,
      probation,
      file('release-schedule', probation.id),
    );
    expect(a).toMatchObject({
      ok: true,
      effect: {
        subject: 'events',
        event: { eventId: 'partner-file:probation-durham.abc:2', eventType: 'release.scheduled' },
      },
    });
    expect(b).toMatchObject({ ok: true, effect: { subject: 'events' } });
  });

  it('tracks accommodation outcomes by person and release date, referral outcomes by partner and referral', () => {
    const accommodation = {
      prison_number: 'A1234BC',
      release_date: '2025-11-03',
      local_authority: 'E06000047',
      night1: 'SETTLED' as const,
    };
    expect(
      acceptRow('accommodation-outcome', accommodation, 2, council, file('accommodation-outcome')),
    ).toMatchObject({ ok: true, effect: { subject: 'a|A1234BC|2025-11-03' } });
    const referral = {
      referral_id: 'R-1',
      service: 'ACCOMMODATION' as const,
      referral_date: '2025-11-16',
      outcome: 'ACCEPTED' as const,
    };
    expect(
      acceptRow('referral-outcome', referral, 2, probation, file('referral-outcome', probation.id)),
    ).toMatchObject({ ok: true, effect: { subject: 'r|probation-durham|R-1' } });
  });
});
