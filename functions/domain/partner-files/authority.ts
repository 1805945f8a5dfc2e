/**
 * What a partner may say beyond what its rows' schema allows: each kind's rule is its `authority` in ./kinds.ts.
 * A row beyond it is refused on its own, with the reason; the rest of the file is applied. An on-call rota
 * decides who is woken for a release, so one partner can never redirect another area's pages.
 */
import type { RowRejection } from './report';

/** A refusal unless `value` is one the partner is allowed (its areas, its services). */
export function outside(
  allowed: readonly string[] | undefined,
  value: string,
  line: number,
  column: string,
  what: string,
): RowRejection | undefined {
  if (allowed?.includes(value)) return undefined;
  return {
    line,
    column,
    value,
    reason: `${what} ${allowed?.length ? `only for ${allowed.join(', ')}` : `for no ${column === 'service' ? 'service' : 'area'}`}`,
  };
}
