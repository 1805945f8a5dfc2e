/**
 * Routing: who hears about an alert. Per local authority, the partnership configures its accommodation
 * service contacts, the aftercare services for each resettlement pathway, a fallback on-call contact per
 * rota tier, and the escalation policy. Who is on call *now* comes from the `on-call-rota` partner file
 * (rota entries), falling back to the configured contact for the tier. Pure: rota and time are passed in.
 */
import * as z from 'zod';
import { pathways, type Pathway } from './circumstances';
import {
  defaultEscalationPolicy,
  escalationPolicySchema,
  type EscalationPolicy,
  type EscalationTarget,
} from './escalation';
import { onCall, rotaChannels, rotaTiers, type RotaChannel, type RotaEntry } from './rota';

export const contactSchema = z.strictObject({
  /** Stable id without personal data: it names the recipient in delivery records and logs. */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
  /** The service or role as colleagues know it ("Darlington housing options"), never the released person. */
  label: z.string().min(1),
  channel: z.enum(rotaChannels),
  /** Phone number, e-mail address or https webhook URL. */
  address: z.string().min(3),
});

const pathwayMap = z.partialRecord(z.enum(pathways), z.array(z.string()));

export const areaRoutingSchema = z.strictObject({
  contacts: z.array(contactSchema),
  /** Contact ids told about releases with no fixed abode, and warned before a release with no accommodation. */
  accommodation: z.array(z.string()),
  /** Contact ids of the aftercare services for each pathway. */
  aftercare: pathwayMap.default({}),
  /** The contact paged for a tier when the rota has nobody on call at that tier. */
  onCall: z.partialRecord(z.enum(rotaTiers), z.string()).default({}),
  escalation: escalationPolicySchema.optional(),
  /**
   * Who is warned, by GOV.UK Notify, when the coverage check finds a gap in the area's on-call rota before a weekend
   * or bank holiday (domain/rota-coverage.ts): contact ids, each an sms or email contact, two different people.
   */
  rotaGapWarnings: z.strictObject({ rotaOwner: z.string(), areaManager: z.string() }).optional(),
});

export const notifyTemplatesSchema = z.strictObject({
  sms: z.record(z.string(), z.string()),
  email: z.record(z.string(), z.string()),
});

export const routingConfigSchema = z
  .strictObject({
    areas: z.record(z.string(), areaRoutingSchema),
    /** The area whose routing serves releases to an area with none of its own (or to an unknown one). */
    fallbackArea: z.string().optional(),
    escalation: escalationPolicySchema.default(defaultEscalationPolicy),
    /** An acknowledged alert that is still not resolved is sent again to whoever acknowledged it after this long. */
    reNotifyAcknowledgedAfterMinutes: z.number().int().positive().default(120),
    /** An alert closes as EXPIRED this long after it was raised; acknowledge links stop working then too. */
    alertLifetimeHours: z.number().int().positive().default(72),
    /** Local time at which yesterday's ROUTINE releases are sent to each service as one digest. */
    digestAt: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .default('08:00'),
    /** A scheduled release within this many working days that still has no accommodation raises a warning. */
    preReleaseWarningWorkingDays: z.number().int().min(0).max(10).default(2),
    /** GOV.UK Notify template ids by channel and template name (see alert-message.ts). */
    notifyTemplates: notifyTemplatesSchema.optional(),
  })
  .superRefine((config, ctx) => {
    for (const [la, area] of Object.entries(config.areas)) {
      const ids = new Set(area.contacts.map((c) => c.id));
      const refs = [
        ...area.accommodation,
        ...Object.values(area.aftercare).flat(),
        ...Object.values(area.onCall),
      ];
      for (const step of area.escalation?.steps ?? [])
        if ('contact' in step.target) refs.push(step.target.contact);
      for (const ref of refs)
        if (!ids.has(ref))
          ctx.addIssue({
            code: 'custom',
            path: ['areas', la],
            message: `contact '${ref}' is used but not listed in contacts`,
          });
      if (area.rotaGapWarnings)
        for (const { path, message } of rotaGapWarningIssues(area))
          ctx.addIssue({ code: 'custom', path: ['areas', la, 'rotaGapWarnings', ...path], message });
    }
    if (config.fallbackArea && !config.areas[config.fallbackArea]) {
      ctx.addIssue({
        code: 'custom',
        path: ['fallbackArea'],
        message: `fallback area '${config.fallbackArea}' has no routing`,
      });
    }
  });

/** What is wrong with an area's rota-gap contacts: each must be listed, reachable by GOV.UK Notify, and a different person. */
function rotaGapWarningIssues(
  area: z.infer<typeof areaRoutingSchema>,
): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const { rotaOwner, areaManager } = area.rotaGapWarnings!;
  for (const [role, id] of [
    ['rotaOwner', rotaOwner],
    ['areaManager', areaManager],
  ] as const) {
    const contact = area.contacts.find((c) => c.id === id);
    if (!contact)
      issues.push({ path: [role], message: `contact '${id}' is not listed in the area's contacts` });
    else if (contact.channel === 'webhook')
      issues.push({
        path: [role],
        message: `contact '${id}' is a webhook; rota-gap warnings go by GOV.UK Notify, so it must be an sms or email contact`,
      });
  }
  if (rotaOwner === areaManager)
    issues.push({
      path: ['areaManager'],
      message: `the rota owner and the area manager are the same contact '${rotaOwner}': name two, so a gap still reaches someone when one is away`,
    });
  return issues;
}

export type Contact = z.infer<typeof contactSchema>;
export type AreaRouting = z.infer<typeof areaRoutingSchema>;
export type RoutingConfig = z.infer<typeof routingConfigSchema>;
export type RoutingConfigInput = z.input<typeof routingConfigSchema>;

/** Someone an alert is sent to: a configured contact or a rota entry, with a recipient id free of personal data. */
export interface Recipient {
  id: string;
  label: string;
  channel: RotaChannel;
  address: string;
}

export function parseRoutingConfig(json: unknown): RoutingConfig {
  const parsed = routingConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)
      .join('; ');
    throw new Error(`the routing config is not valid: ${problems}`);
  }
  return parsed.data;
}

export function areaRouting(config: RoutingConfig, localAuthority: string): AreaRouting | undefined {
  return (
    config.areas[localAuthority] ?? (config.fallbackArea ? config.areas[config.fallbackArea] : undefined)
  );
}

export function escalationPolicyFor(config: RoutingConfig, localAuthority: string): EscalationPolicy {
  return areaRouting(config, localAuthority)?.escalation ?? config.escalation;
}

/** Whoever an escalation step pages now: the rota entry on call at the tier, else the configured contact. */
export function recipientForTarget(
  config: RoutingConfig,
  localAuthority: string,
  target: EscalationTarget,
  rota: readonly RotaEntry[],
  at: Date,
): Recipient | undefined {
  const area = areaRouting(config, localAuthority);
  if ('contact' in target) return contactById(area, target.contact);
  const entry = onCall(rota, localAuthority, target.tier, at);
  if (entry) {
    return {
      id: `rota.${target.tier}.${entry.start.replace(/[^0-9TZ]/g, '')}`,
      label: entry.displayName ? `${entry.displayName}, ${target.tier} on call` : `${target.tier} on call`,
      channel: entry.channel,
      address: entry.address,
    };
  }
  const fallback = area?.onCall[target.tier];
  return fallback ? contactById(area, fallback) : undefined;
}

/** The accommodation services of the area, when accommodation is the problem, and the aftercare services for each need. */
export function servicesFor(
  config: RoutingConfig,
  localAuthority: string,
  need: { accommodation: boolean; pathways: readonly Pathway[] },
): Recipient[] {
  const area = areaRouting(config, localAuthority);
  if (!area) return [];
  const ids = [
    ...(need.accommodation ? area.accommodation : []),
    ...need.pathways.flatMap((p) => area.aftercare[p] ?? []),
  ];
  return [...new Set(ids)].map((id) => contactById(area, id)).filter((c): c is Recipient => c !== undefined);
}

export function contactById(area: AreaRouting | undefined, id: string): Recipient | undefined {
  const contact = area?.contacts.find((c) => c.id === id);
  return contact
    ? { id: contact.id, label: contact.label, channel: contact.channel, address: contact.address }
    : undefined;
}

/** Who is warned of a gap in an area's on-call rota: its owner and the area's manager (none when the area names neither). */
export function rotaGapRecipients(
  config: RoutingConfig,
  localAuthority: string,
): { rotaOwner: Recipient; areaManager: Recipient } | undefined {
  const area = config.areas[localAuthority];
  if (!area?.rotaGapWarnings) return undefined;
  const rotaOwner = contactById(area, area.rotaGapWarnings.rotaOwner);
  const areaManager = contactById(area, area.rotaGapWarnings.areaManager);
  return rotaOwner && areaManager ? { rotaOwner, areaManager } : undefined;
}
