/**
 * The words for a person's circumstances at release, defined once: the custody event contract (events/), the
 * partner files, the routing, the metrics and the dashboard all read these lists.
 */

/** Where the person will sleep. */
export const accommodationStatuses = [
  'SETTLED',
  'TEMPORARY',
  'APPROVED_PREMISES',
  'CAS3',
  'NO_FIXED_ABODE',
  'UNKNOWN',
] as const;
export const aftercarePlans = ['IN_PLACE', 'NONE', 'UNKNOWN'] as const;
/** The seven resettlement pathways: what a person needs support with (and the services that give it). */
export const pathways = [
  'ACCOMMODATION',
  'ATTITUDES_THINKING_AND_BEHAVIOUR',
  'CHILDREN_FAMILIES_AND_COMMUNITY',
  'DRUGS_AND_ALCOHOL',
  'EDUCATION_SKILLS_AND_WORK',
  'FINANCE_AND_ID',
  'HEALTH',
] as const;
export const cohorts = ['IOM', 'WOMEN', 'YOUTH_TRANSITION', 'CHECKPOINT'] as const;

export type Accommodation = (typeof accommodationStatuses)[number];
export type AftercarePlan = (typeof aftercarePlans)[number];
export type Pathway = (typeof pathways)[number];
export type Cohort = (typeof cohorts)[number];

/**
 * When after release the accommodation outcome is checked (partners' accommodation-outcome files), with the
 * words the board reads. The status on release itself is counted with the release.
 */
export const accommodationCheckpoints = ['night1', 'day7', 'day28', 'week12'] as const;
export type AccommodationCheckpoint = (typeof accommodationCheckpoints)[number];
export const checkpointWords: Record<AccommodationCheckpoint, string> = {
  night1: 'on the first night',
  day7: 'at day 7',
  day28: 'at day 28',
  week12: 'at week 12',
};
