/**
 * What an alert says. An SMS may be read on a lock screen, so it carries no name and no date of birth:
 * a case reference, the release time, prison, area, the flags in plain words and the acknowledge link.
 * E-mail templates carry the same facts plus the reasons in words; what each field is for is in README.md.
 *
 * Every message is a template name and its personalisation (the GOV.UK Notify model: templates live in
 * Notify, Gatehouse sends the fields), and the same text rendered here for the local outbox and webhooks.
 * The fields are built from an explicit list, never by copying the alert, so nothing personal slips in.
 */
import { isDetailsMissing } from './release-facts';
import type { Alert, NoticePurpose } from './alerts';
import { londonTime, weekdayName, type LocalDate } from './calendar';
import { localAuthorityName, prisonName } from './places';

export const templateNames = [
  'critical',
  'referral',
  'warning',
  'digest',
  'acknowledged',
  'reminder',
  'reply',
  'rota_gap',
] as const;
export type TemplateName = (typeof templateNames)[number];

export interface AlertMessage {
  template: TemplateName;
  subject: string;
  /** The Notify personalisation: every value a string. */
  personalisation: Record<string, string>;
  /** The message as the template renders it. */
  text: string;
}

export interface MessageContext {
  links: { acknowledge?: string; resolve?: string };
  /** Who acknowledged (a role or a colleague's rota name), for the "acknowledged" notice. */
  acknowledgedBy?: string;
}

const flagWords: Record<keyof NonNullable<Alert['flags']>, string> = {
  unplanned: 'unplanned',
  nonWorkingDay: 'on a non-working day',
  lateWeek: 'last working day before a weekend or bank holiday',
  lateDay: 'late in the day',
  noFixedAbode: 'no fixed abode',
  noAftercarePlan: 'no aftercare plan',
  bankHolidaysUnknown: 'possibly a non-working day (bank holidays not loaded)',
};

export function flagsInWords(flags: Alert['flags']): string[] {
  if (!flags) return [];
  return (Object.keys(flagWords) as (keyof typeof flagWords)[])
    .filter((f) => flags[f])
    .map((f) => flagWords[f]);
}

export function needsInWords(needs: readonly string[]): string {
  return needs.map((n) => n.toLowerCase().replaceAll('_', ' ')).join(', ');
}

/** What an on-call page asks of whoever can take the case: reply with this, or use the link. */
export const replyToTake = 'Reply 1 to take this case';

/** The answer to a text-message reply that changed nothing (a second reply, a reply after the alert closed): why. */
export function replyAnswer(alert: Pick<Alert, 'caseRef' | 'localAuthority'>, why: string): AlertMessage {
  const p = { case_ref: alert.caseRef ?? '', area: localAuthorityName(alert.localAuthority), why };
  return {
    template: 'reply',
    subject: `Gatehouse: case ${p.case_ref}`,
    personalisation: p,
    text: `Gatehouse: your reply about case ${p.case_ref} (${p.area}) changed nothing: ${why}.`,
  };
}

export function templateFor(alert: Alert, purpose: NoticePurpose): TemplateName {
  if (purpose !== 'page') return purpose;
  return (
    {
      CRITICAL_RELEASE: 'critical',
      REFERRAL: 'referral',
      PRE_RELEASE_WARNING: 'warning',
      DIGEST: 'digest',
    } as const
  )[alert.kind];
}

export function messageFor(alert: Alert, purpose: NoticePurpose, ctx: MessageContext): AlertMessage {
  const template = templateFor(alert, purpose);
  const area = localAuthorityName(alert.localAuthority);
  const prison = prisonName(alert.prisonId);
  const ack = ctx.links.acknowledge ?? '';
  switch (template) {
    case 'critical':
    case 'referral': {
      const reply = template === 'critical' && ack ? replyToTake : '';
      const p = {
        case_ref: alert.caseRef ?? '',
        urgency: alert.urgency,
        released: released(alert),
        prison,
        area,
        flags: capitalise(flagsInWords(alert.flags).join(', ')),
        needs: needsInWords(alert.needs) || 'none recorded',
        reasons: alert.reasons.map((r) => `* ${r}`).join('\n'),
        ack_link: ack,
        ...(reply ? { reply_hint: reply } : {}),
      };
      const lead =
        template === 'critical' ? `Gatehouse ${alert.urgency}` : `Gatehouse referral (${alert.urgency})`;
      return {
        template,
        subject: `${lead}: case ${p.case_ref} released to ${area}`,
        personalisation: p,
        text: join([
          `${lead}: case ${p.case_ref} released ${p.released} from ${prison} to ${area}.`,
          `${p.flags}.`,
          alert.needs.length > 0 ? `Needs: ${p.needs}.` : '',
          alert.reasons.find(isDetailsMissing) ? `${alert.reasons.find(isDetailsMissing)}.` : '',
          reply ? `${reply}. Acknowledge: ${ack}` : ack ? `Acknowledge: ${ack}` : '',
        ]),
      };
    }
    case 'warning': {
      const p = {
        case_ref: alert.caseRef ?? '',
        scheduled: dayAndDate(alert.scheduledFor!),
        prison,
        area,
        reason: alert.reasons[0] ?? '',
        needs: needsInWords(alert.needs) || 'none recorded',
        ack_link: ack,
      };
      return {
        template,
        subject: `Gatehouse: case ${p.case_ref} leaves ${prison} ${p.scheduled} with no accommodation`,
        personalisation: p,
        text: join([
          `Gatehouse warning: case ${p.case_ref} is due for release ${p.scheduled} from ${prison} to ${area}. ${p.reason}.`,
          alert.needs.length > 0 ? `Needs: ${p.needs}.` : '',
          ack ? `Acknowledge: ${ack}` : '',
        ]),
      };
    }
    case 'digest': {
      const lines = (alert.items ?? []).map(
        (i) =>
          `* ${i.caseRef}: released ${i.releaseLocal.time} from ${prisonName(i.prisonId)}; ${needsInWords(i.needs)}`,
      );
      const p = {
        date: dayAndDate(alert.scheduledFor!),
        area,
        count: String(lines.length),
        cases: lines.join('\n'),
        ack_link: ack,
      };
      return {
        template,
        subject: `Gatehouse digest: ${p.count} release(s) to ${area} ${p.date}`,
        personalisation: p,
        text: join([
          `Gatehouse digest for ${area}, ${p.date}: ${p.count} release(s) with needs you cover, no urgent concerns.`,
          p.cases.replaceAll('\n', ' '),
          ack ? `Acknowledge: ${ack}` : '',
        ]),
      };
    }
    case 'acknowledged': {
      const at = alert.acknowledgedAt ? londonTime(alert.acknowledgedAt).time : '';
      const p = {
        case_ref: alert.caseRef ?? '',
        acknowledged_by: ctx.acknowledgedBy ?? 'a colleague who was paged',
        acknowledged_at: at,
        area,
      };
      return {
        template,
        subject: `Gatehouse: case ${p.case_ref} acknowledged`,
        personalisation: p,
        text: `Gatehouse: case ${p.case_ref} (${area}) was acknowledged at ${at} by ${p.acknowledged_by}. No action needed from you.`,
      };
    }
    case 'reminder': {
      const at = alert.acknowledgedAt ? londonTime(alert.acknowledgedAt).time : '';
      const p = {
        case_ref: alert.caseRef ?? '',
        acknowledged_at: at,
        area,
        resolve_link: ctx.links.resolve ?? '',
      };
      return {
        template,
        subject: `Gatehouse reminder: case ${p.case_ref} is still open`,
        personalisation: p,
        text: join([
          `Gatehouse reminder: you acknowledged case ${p.case_ref} (${area}) at ${at} and it is not resolved yet.`,
          p.resolve_link ? `Resolve: ${p.resolve_link}` : '',
        ]),
      };
    }
    case 'reply':
      return replyAnswer(alert, 'nothing to do');
    case 'rota_gap':
      throw new Error('a rota-gap warning is about the rota, not an alert: rotaGapMessage builds it');
  }
}

/**
 * The warning to the rota's owner and the area's manager that the on-call rota has a gap before a weekend or bank
 * holiday: the area, the tier and the uncovered stretch. Nothing about anyone on (or off) the rota.
 */
export function rotaGapMessage(gap: {
  localAuthority: string;
  tier: string;
  from: string;
  until: string;
}): AlertMessage {
  const at = (instant: string) => {
    const t = londonTime(instant);
    return `${dayAndDate(t.date)} ${t.time}`;
  };
  const p = {
    area: localAuthorityName(gap.localAuthority),
    tier: gap.tier,
    from: at(gap.from),
    until: at(gap.until),
  };
  return {
    template: 'rota_gap',
    subject: `Gatehouse: the ${p.area} on-call rota has a gap`,
    personalisation: p,
    text: `Gatehouse: the ${p.area} on-call rota has nobody ${p.tier} on call from ${p.from} to ${p.until}. Please add cover to the on-call rota file before then.`,
  };
}

/** The SMS of a CRITICAL release alert. */
export function smsText(alert: Alert, ackLink?: string): string {
  return messageFor(alert, 'page', { links: ackLink ? { acknowledge: ackLink } : {} }).text;
}

function released(alert: Alert): string {
  if (!alert.releaseLocal) return '';
  return `${dayAndDate(alert.releaseLocal.date)} ${alert.releaseLocal.time}`;
}

function dayAndDate(date: LocalDate): string {
  const day = weekdayName(date);
  return `${day.charAt(0)}${day.slice(1).toLowerCase()} ${date.slice(8, 10)}/${date.slice(5, 7)}`;
}

function join(parts: string[]): string {
  return parts.filter(Boolean).join(' ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
