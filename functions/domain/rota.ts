/**
 * The on-call rota: who is on call for an area, at which tier, when, and how to reach them.
 * Partners send it as the `on-call-rota` file (partner-drops); the alerts use it to page the right person.
 * This is the contract between the two: the ingest writes entries of this shape, routing reads them.
 */
export const rotaTiers = ['primary', 'secondary', 'manager'] as const;
export const rotaChannels = ['sms', 'email', 'webhook'] as const;

export type RotaTier = (typeof rotaTiers)[number];
export type RotaChannel = (typeof rotaChannels)[number];

export interface RotaEntry {
  /** ONS code of the area covered, e.g. E06000005. */
  localAuthority: string;
  tier: RotaTier;
  /** ISO-8601 instants; the entry covers start <= t < end. */
  start: string;
  end: string;
  channel: RotaChannel;
  /** Phone number, e-mail address or webhook URL: personal data, kept only in the records table. */
  address: string;
  /** How the person is named to colleagues ("Sam (Darlington housing)"); optional. */
  displayName?: string;
  /** The partner file the entry came from, or 'config'. */
  source: string;
}

/** Who is on call at a tier at an instant: the entry that started most recently among those covering it. */
export function onCall(
  entries: readonly RotaEntry[],
  localAuthority: string,
  tier: RotaTier,
  at: Date,
): RotaEntry | undefined {
  const t = at.toISOString();
  return entries
    .filter((e) => e.localAuthority === localAuthority && e.tier === tier && e.start <= t && t < e.end)
    .sort((a, b) => b.start.localeCompare(a.start))[0];
}
