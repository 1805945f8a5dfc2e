import { describe, expect, it } from 'vitest';
import type { RotaEntry } from '../../../functions/domain/rota';
import { escalationPolicyFor, parseRoutingConfig, recipientForTarget, servicesFor } from '../../../functions/domain/routing';
import { localRouting } from '../../../local/routing';

const routing = parseRoutingConfig(localRouting);
const friday = new Date('2026-11-20T16:45:00Z');
const entry = (tier: RotaEntry['tier'], start: string, end: string, address: string): RotaEntry => ({ localAuthority: 'E06000005', tier, start, end, channel: 'sms', address, source: 'rota.csv', displayName: 'Sam' });

describe('routing', () => {
  it('pages whoever the rota has on call at the tier now', () => {
    const rota = [entry('primary', '2026-11-20T08:00:00Z', '2026-11-20T17:00:00Z', '07700900001'), entry('primary', '2026-11-20T17:00:00Z', '2026-11-21T08:00:00Z', '07700900002')];
    expect(recipientForTarget(routing, 'E06000005', { tier: 'primary' }, rota, friday)).toEqual({ id: 'rota.primary.20261120T080000Z', label: 'Sam, primary on call', channel: 'sms', address: '07700900001' });
    expect(recipientForTarget(routing, 'E06000005', { tier: 'primary' }, rota, new Date('2026-11-20T17:30:00Z'))?.address).toBe('07700900002');
  });

  it('falls back to the configured contact for the tier when the rota has a gap', () => {
    expect(recipientForTarget(routing, 'E06000005', { tier: 'manager' }, [], friday)).toMatchObject({ id: 'darlington-housing-manager', channel: 'sms' });
  });

  it('sends referrals to accommodation services when accommodation is the problem and to the aftercare services for each need', () => {
    expect(servicesFor(routing, 'E06000005', { accommodation: true, pathways: ['DRUGS_AND_ALCOHOL', 'HEALTH'] }).map((r) => r.id)).toEqual([
      'darlington-housing-options',
      'darlington-recovery',
      'darlington-mental-health',
    ]);
    expect(servicesFor(routing, 'E06000005', { accommodation: false, pathways: ['FINANCE_AND_ID'] })).toEqual([]);
  });

  it('uses the fallback area for an area with no routing of its own, and the default policy', () => {
    expect(servicesFor(routing, 'E06000001', { accommodation: true, pathways: [] }).map((r) => r.id)).toEqual(['durham-housing-solutions']);
    expect(escalationPolicyFor(routing, 'E06000005').steps.map((s) => s.waitMinutes)).toEqual([15, 15, 15]);
  });

  it('refuses a config that names a contact it does not list', () => {
    expect(() => parseRoutingConfig({ areas: { E06000005: { contacts: [], accommodation: ['nobody'] } } })).toThrow(
      "the routing config is not valid: areas.E06000005: contact 'nobody' is used but not listed in contacts",
    );
  });
});
