/**
 * What a partner may say beyond what its rows' schema allows, kind by kind:
 * - an on-call rota decides who is woken for a release: a council sets the rota of its own area, never another's,
 *   so one partner cannot redirect another area's pages;
 * - accommodation outcomes are about people released to an area: a partner reports those of the areas it serves;
 * - referral outcomes are a service's answer to a referral: a partner reports those of the services it runs.
 * Any other row is refused on its own, with the reason; the rest of the file is applied.
 */
import type { Partner, PartnerFileKind } from '../partners';
import type { RowRejection } from './report';

export function beyondAuthority(partner: Partner, kind: PartnerFileKind, row: unknown, line: number): RowRejection | undefined {
  switch (kind) {
    case 'on-call-rota':
      return outside(partner.rotaAreas, (row as { local_authority: string }).local_authority, line, 'local_authority', `${partner.id} may set the on-call rota`);
    case 'accommodation-outcome':
      return outside(partner.outcomeAreas, (row as { local_authority: string }).local_authority, line, 'local_authority', `${partner.id} may report accommodation outcomes`);
    case 'referral-outcome':
      return outside(partner.referralServices, (row as { service: string }).service, line, 'service', `${partner.id} may report referral outcomes`);
    case 'release-schedule':
      return undefined;
  }
}

function outside(allowed: readonly string[] | undefined, value: string, line: number, column: string, what: string): RowRejection | undefined {
  if (allowed?.includes(value)) return undefined;
  return { line, column, value, reason: `${what} ${allowed?.length ? `only for ${allowed.join(', ')}` : `for no ${column === 'service' ? 'service' : 'area'}`}` };
}
