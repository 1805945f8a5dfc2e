/**
 * The partners who drop files, and which kinds of file each may send. The CDK stack gives every partner
 * here its own role (put into `incoming/{id}/`, read `reports/{id}/`); the partner-drop function refuses
 * any other partner or kind. Adding a partner is a line here and a deploy.
 */
export const partnerFileKinds = [
  'release-schedule',
  'accommodation-outcome',
  'referral-outcome',
  'on-call-rota',
] as const;
export type PartnerFileKind = (typeof partnerFileKinds)[number];

export interface Partner {
  /** Lower-case letters, digits and hyphens: it names S3 prefixes and an IAM role. */
  id: string;
  name: string;
  kinds: readonly PartnerFileKind[];
  /** Local authorities (ONS codes) whose on-call rota this partner may set: a council sets its own, no one else's. */
  rotaAreas?: readonly string[];
  /** Local authorities whose people's accommodation outcomes this partner may report. */
  outcomeAreas?: readonly string[];
  /** The services (resettlement pathways) whose referral outcomes this partner may report. */
  referralServices?: readonly string[];
}

export const partners: readonly Partner[] = [
  {
    id: 'probation-durham',
    name: 'Probation Service, County Durham and Darlington delivery unit',
    kinds: ['release-schedule', 'referral-outcome'],
    // Probation's commissioned rehabilitative services; treatment outcomes come from the treatment services.
    referralServices: [
      'ACCOMMODATION',
      'ATTITUDES_THINKING_AND_BEHAVIOUR',
      'CHILDREN_FAMILIES_AND_COMMUNITY',
      'EDUCATION_SKILLS_AND_WORK',
      'FINANCE_AND_ID',
    ],
  },
  {
    id: 'durham-housing',
    name: 'Durham County Council housing solutions',
    kinds: ['accommodation-outcome', 'on-call-rota'],
    rotaAreas: ['E06000047'],
    outcomeAreas: ['E06000047'],
  },
  {
    id: 'darlington-housing',
    name: 'Darlington Borough Council housing options',
    kinds: ['accommodation-outcome', 'on-call-rota'],
    rotaAreas: ['E06000005'],
    outcomeAreas: ['E06000005'],
  },
  {
    id: 'accommodation-providers',
    name: 'Accommodation providers (CAS3 and supported housing)',
    kinds: ['accommodation-outcome'],
    outcomeAreas: ['E06000047', 'E06000005'],
  },
  {
    id: 'treatment-services',
    name: 'Drug and alcohol and mental-health treatment services',
    kinds: ['referral-outcome'],
    referralServices: ['DRUGS_AND_ALCOHOL', 'HEALTH'],
  },
];

export const partnerIdPattern = /^[a-z0-9][a-z0-9-]{1,40}$/;

export function findPartner(id: string, registry: readonly Partner[] = partners): Partner | undefined {
  return registry.find((p) => p.id === id);
}

export function isPartnerFileKind(value: string): value is PartnerFileKind {
  return (partnerFileKinds as readonly string[]).includes(value);
}
