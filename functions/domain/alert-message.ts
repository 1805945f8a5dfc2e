/**
 * What an alert says. An SMS may be read on a lock screen, so it carries no name and no date of birth:
 * a case reference, the release time, prison, area, the flags in plain words and the acknowledge link.
 */
import type { Alert } from './alerts';
import { weekdayName } from './calendar';
import { localAuthorityName, prisonName } from './places';

const flagWords: Record<keyof Alert['flags'], string> = {
  unplanned: 'unplanned',
  nonWorkingDay: 'on a non-working day',
  lateWeek: 'last working day before a weekend or bank holiday',
  lateDay: 'late in the day',
  noFixedAbode: 'no fixed abode',
  noAftercarePlan: 'no aftercare plan',
};

export function flagsInWords(flags: Alert['flags']): string[] {
  return (Object.keys(flagWords) as (keyof Alert['flags'])[]).filter((f) => flags[f]).map((f) => flagWords[f]);
}

export function needsInWords(needs: readonly string[]): string {
  return needs.map((n) => n.toLowerCase().replaceAll('_', ' ')).join(', ');
}

export function smsText(alert: Alert, ackLink?: string): string {
  const { date, time } = alert.releaseLocal;
  const day = weekdayName(date);
  const when = `${day.charAt(0)}${day.slice(1).toLowerCase()} ${date.slice(8, 10)}/${date.slice(5, 7)} ${time}`;
  const lines = [
    `Gatehouse ${alert.urgency}: case ${alert.caseRef} released ${when} from ${prisonName(alert.prisonId)} to ${localAuthorityName(alert.localAuthority)}.`,
    `${capitalise(flagsInWords(alert.flags).join(', '))}.`,
    ...(alert.needs.length > 0 ? [`Needs: ${needsInWords(alert.needs)}.`] : []),
    ...(ackLink ? [`Acknowledge: ${ackLink}`] : []),
  ];
  return lines.join(' ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
