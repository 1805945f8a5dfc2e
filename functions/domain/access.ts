/**
 * Who may read what. Three kinds of reader, and a token for one never opens another:
 * - board members (Cognito group `board`) read figures only;
 * - case workers read the cases of their own areas (`case-workers-{ONS code}`, one group per area;
 *   `case-workers-*` for a partnership-wide worker);
 * - operators (`operators`) run the stack and may read exact figures (the board's are small-cell suppressed).
 * API Gateway checks the OAuth scope of each route (`gatehouse/figures.read`, `gatehouse/cases.read`); the handler
 * checks the groups too, because a scope is what a client asked for and a group is what the person was given.
 * Pure: the caller comes from the verified token's claims.
 */
import type { ReleaseCase } from './release-case';

export interface Caller {
  /** The token's subject (Cognito user id): what the audit records. */
  id: string;
  groups: string[];
  /** OAuth scopes the token carries; undefined when the runtime has no authorizer that issues them (locally). */
  scopes?: string[];
}

export const resourceServer = 'gatehouse';
export const scopes = {
  figures: `${resourceServer}/figures.read`,
  cases: `${resourceServer}/cases.read`,
} as const;
export const groups = { board: 'board', operators: 'operators', caseWorkersPrefix: 'case-workers-' } as const;

/** The areas the stack creates a case-worker group for (County Durham, Darlington). */
export const partnershipAreas = ['E06000047', 'E06000005'] as const;

export function caseWorkerGroup(localAuthority: string): string {
  return `${groups.caseWorkersPrefix}${localAuthority}`;
}

/** The areas whose cases the caller may read; empty when the caller is no case worker. */
export function caseAreas(caller: Caller | undefined): string[] {
  if (!caller || (caller.scopes && !caller.scopes.includes(scopes.cases))) return [];
  return caller.groups
    .filter((g) => g.startsWith(groups.caseWorkersPrefix))
    .map((g) => g.slice(groups.caseWorkersPrefix.length));
}

/**
 * The cases a case worker may see: those to their areas, and those whose destination is not known yet (someone
 * in the partnership has to find out where the person went).
 */
export function visibleCases(cases: readonly ReleaseCase[], areas: readonly string[]): ReleaseCase[] {
  return cases.filter((c) => {
    const la = c.circumstances.destinationLocalAuthority;
    return la === undefined || areas.includes('*') || areas.includes(la);
  });
}

/** Exact figures are for operators; everyone else sees small cells suppressed. */
export function readsExactFigures(caller: Caller | undefined): boolean {
  return Boolean(caller?.groups.includes(groups.operators));
}

/** Figures need the figures scope (where scopes exist) and any Gatehouse group. */
export function readsFigures(caller: Caller | undefined): boolean {
  if (!caller || (caller.scopes && !caller.scopes.includes(scopes.figures))) return false;
  return caller.groups.some(
    (g) => g === groups.board || g === groups.operators || g.startsWith(groups.caseWorkersPrefix),
  );
}
