/**
 * Whose release is it? A deployment watches some prisons and serves the partnership's areas (stage config).
 * - to one of the partnership's areas: ours;
 * - destination not known, from a watched prison: ours (the fallback contact serves it);
 * - from a watched prison to a known other area: not ours; that area's routing hears of it if the deployment has one;
 * - anything else: not ours, recorded and counted by prison, never paged, never referred.
 * Pure: the scope is passed in.
 */
export interface Scope {
  /** Three-letter prison codes, e.g. DMI (HMP Durham). */
  watchedPrisons: readonly string[];
  /** ONS codes of the partnership's local authorities. */
  partnershipAreas: readonly string[];
}

export const defaultScope: Scope = { watchedPrisons: ['DMI'], partnershipAreas: ['E06000047', 'E06000005'] };

export type Whose =
  | 'PARTNERSHIP_AREA'
  | 'WATCHED_PRISON_AREA_UNKNOWN'
  | 'WATCHED_PRISON_OTHER_AREA'
  | 'NOT_OURS';

export interface ReleaseScope {
  ours: boolean;
  whose: Whose;
  /** Why, in words an operator understands. */
  reason: string;
}

export function releaseScope(
  prisonId: string,
  destinationLocalAuthority: string | undefined,
  scope: Scope,
): ReleaseScope {
  const watched = scope.watchedPrisons.includes(prisonId);
  if (destinationLocalAuthority && scope.partnershipAreas.includes(destinationLocalAuthority)) {
    return {
      ours: true,
      whose: 'PARTNERSHIP_AREA',
      reason: `Released to ${destinationLocalAuthority}, one of the partnership's areas`,
    };
  }
  if (!destinationLocalAuthority && watched) {
    return {
      ours: true,
      whose: 'WATCHED_PRISON_AREA_UNKNOWN',
      reason: `Released from ${prisonId}, a watched prison, to an area not yet known`,
    };
  }
  if (watched) {
    return {
      ours: false,
      whose: 'WATCHED_PRISON_OTHER_AREA',
      reason: `Released from ${prisonId} to ${destinationLocalAuthority}, outside the partnership: that area's contacts are told if Gatehouse has them`,
    };
  }
  return {
    ours: false,
    whose: 'NOT_OURS',
    reason: destinationLocalAuthority
      ? `Released from ${prisonId}, a prison Gatehouse does not watch, to ${destinationLocalAuthority}, outside the partnership: counted, nobody paged`
      : `Released from ${prisonId}, a prison Gatehouse does not watch, to an area not known: counted, nobody paged`,
  };
}

/** Reads a comma-separated list of codes (from the environment), checking each. */
export function parseScope(watched: string | undefined, areas: string | undefined): Scope {
  const list = (value: string | undefined, fallback: readonly string[], pattern: RegExp, what: string) => {
    if (value === undefined || value.trim() === '') return [...fallback];
    const codes = value
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    for (const code of codes) if (!pattern.test(code)) throw new Error(`'${code}' is not ${what}`);
    return codes;
  };
  return {
    watchedPrisons: list(
      watched,
      defaultScope.watchedPrisons,
      /^[A-Z]{3}$/,
      'a three-letter prison code such as DMI (WATCHED_PRISONS)',
    ),
    partnershipAreas: list(
      areas,
      defaultScope.partnershipAreas,
      /^[EWSN][0-9]{8}$/,
      'an ONS local authority code such as E06000047 (PARTNERSHIP_AREAS)',
    ),
  };
}
