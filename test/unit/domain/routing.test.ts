import { describe, expect, it } from 'vitest';
import type { RotaEntry } from '#domain/rota';
import {
  escalationPolicyFor,
  parseRoutingConfig,
  recipientForTarget,
  rotaGapRecipients,
  servicesFor,
} from '#domain/routing';
import { localRouting } from '#local/routing';

const routing = parseRoutingConfig(localRouting);
const friday = new Date('2026-11-20T16:45:00Z');
const entry = (tier: RotaEntry['tier'], start: string, end: string, address: string): RotaEntry => ({
  localAuthority: 'E06000005',
  tier,
  start,
  end,
  channel: 'sms',
  address,
  source: 'rota.csv',
  displayName: 'Sam',
});

describe('routing', () => {
  it('pages whoever the rota has on call at the tier now', () => {
    const rota = [
      entry('primary', '2026-11-20T08:00:00Z', '2026-11-20T17:00:00Z', '07700900001'),
      entry('primary', '2026-11-20T17:00:00Z', '2026-11-21T08:00:00Z', '07700900002'),
    ];
    expect(recipientForTarget(routing, 'E06000005', { tier: 'primary' }, rota, friday)).toEqual({
      id: 'rota.primary.20261120T080000Z',
      label: 'Sam, primary on call',
      channel: 'sms',
      address: '07700900001',
    });
    expect(
      recipientForTarget(routing, 'E06000005', { tier: 'primary' }, rota, new Date('2026-11-20T17:30:00Z'))
        ?.address,
    ).toBe('07700900002');
  });

  it('falls back to the configured contact for the tier when the rota has a gap', () => {
    expect(recipientForTarget(routing, 'E06000005', { tier: 'manager' }, [], friday)).toMatchObject({
      id: 'darlington-housing-manager',
      channel: 'sms',
    });
  });

  it('sends referrals to accommodation services when accommodation is the problem and to the aftercare services for each need', () => {
    expect(
      servicesFor(routing, 'E06000005', {
        accommodation: true,
        pathways: ['DRUGS_AND_ALCOHOL', 'HEALTH'],
      }).map((r) => r.id),
    ).toEqual(['darlington-housing-options', 'darlington-recovery', 'darlington-mental-health']);
    expect(servicesFor(routing, 'E06000005', { accommodation: false, pathways: ['FINANCE_AND_ID'] })).toEqual(
      [],
    );
  });

  it('uses the fallback area for an area with no routing of its own, and the default policy', () => {
    expect(servicesFor(routing, 'E06000001', { accommodation: true, pathways: [] }).map((r) => r.id)).toEqual(
      ['durham-housing-solutions'],
    );
    expect(escalationPolicyFor(routing, 'E06000005').steps.map((s) => s.waitMinutes)).toEqual([15, 15, 15]);
  });

  it('refuses a config that names a contact it does not list', () => {
    expect(() =>
      parseRoutingConfig({ areas: { E06000005: { contacts: [], accommodation: ['nobody'] } } }),
    ).toThrow(
      "the routing config is not valid: areas.E06000005: contact 'nobody' is used but not listed in contacts",
    );
  });

  describe('rota-gap warnings', () => {
    const darlington = structuredClone(localRouting.areas.E06000005!);
    const withWarnings = (rotaGapWarnings: unknown) => ({
      areas: { E06000005: { ...darlington, rotaGapWarnings } },
    });

    it('names the rota owner and the area manager of an area', () => {
      expect(rotaGapRecipients(routing, 'E06000005')).toEqual({
        rotaOwner: {
          id: 'darlington-rota-coordinator',
          label: 'Darlington on-call rota coordinator',
          channel: 'email',
          address: 'on-call-rota@darlington.example.org',
        },
        areaManager: {
          id: 'darlington-housing-manager',
          label: 'Darlington housing duty manager',
          channel: 'sms',
          address: '07700900102',
        },
      });
      // Only the area's own: a rota gap is warned of to the people of that area, not the fallback area's.
      expect(rotaGapRecipients(routing, 'E06000001')).toBeUndefined();
    });

    it('refuses a contact that is not listed, saying which', () => {
      expect(() =>
        parseRoutingConfig(withWarnings({ rotaOwner: 'nobody', areaManager: 'darlington-housing-manager' })),
      ).toThrow(
        "the routing config is not valid: areas.E06000005.rotaGapWarnings.rotaOwner: contact 'nobody' is not listed in the area's contacts",
      );
    });

    it('refuses a webhook contact: the warning goes by GOV.UK Notify', () => {
      const area = {
        ...darlington,
        contacts: [
          ...darlington.contacts,
          {
            id: 'darlington-rota-system',
            label: 'Rota system',
            channel: 'webhook' as const,
            address: 'https://rota.example.org/hook',
          },
        ],
      };
      expect(() =>
        parseRoutingConfig({
          areas: {
            E06000005: {
              ...area,
              rotaGapWarnings: {
                rotaOwner: 'darlington-rota-system',
                areaManager: 'darlington-housing-manager',
              },
            },
          },
        }),
      ).toThrow(
        "areas.E06000005.rotaGapWarnings.rotaOwner: contact 'darlington-rota-system' is a webhook; rota-gap warnings go by GOV.UK Notify, so it must be an sms or email contact",
      );
    });

    it('refuses the same contact as both, and a field it does not know', () => {
      expect(() =>
        parseRoutingConfig(
          withWarnings({
            rotaOwner: 'darlington-housing-manager',
            areaManager: 'darlington-housing-manager',
          }),
        ),
      ).toThrow(
        "areas.E06000005.rotaGapWarnings.areaManager: the rota owner and the area manager are the same contact 'darlington-housing-manager': name two",
      );
      expect(() =>
        parseRoutingConfig(
          withWarnings({
            rotaOwner: 'darlington-rota-coordinator',
            areaManager: 'darlington-housing-manager',
            deputy: 'x',
          }),
        ),
      ).toThrow('areas.E06000005.rotaGapWarnings: Unrecognized key: "deputy"');
      expect(() => parseRoutingConfig(withWarnings({ rotaOwner: 'darlington-rota-coordinator' }))).toThrow(
        'areas.E06000005.rotaGapWarnings.areaManager:',
      );
    });
  });
});
