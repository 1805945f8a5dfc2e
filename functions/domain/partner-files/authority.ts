/**
 * What a partner may say beyond what its rows' schema allows. An on-call rota decides who is woken for a
 * release: a council sets the rota of its own area, never another's, so one partner cannot redirect
 * another area's pages.
 */
import type { Partner, PartnerFileKind } from '../../commons/partners';
import type { RowRejection } from './report';

export function beyondAuthority(partner: Partner, kind: PartnerFileKind, row: unknown, line: number): RowRejection | undefined {
  if (kind !== 'on-call-rota') return undefined;
  const area = (row as { local_authority: string }).local_authority;
  if (partner.rotaAreas?.includes(area)) return undefined;
  const allowed = partner.rotaAreas?.length ? `only for ${partner.rotaAreas.join(', ')}` : 'for no area';
  return { line, column: 'local_authority', value: area, reason: `${partner.id} may set the on-call rota ${allowed}` };
}
