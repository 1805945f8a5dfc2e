import { testIdentifierKey } from '#test-support/custody-events';
import { describe, expect, it } from 'vitest';
import { digestAlerts, preReleaseWarning } from '#domain/alert-policy';
import { messageFor } from '#domain/alert-message';
import { openAlert, type Alert, type AlertDraft, type NoticePurpose } from '#domain/alerts';
import { englandAndWales } from '#domain/calendar';
import { classifyRelease } from '#domain/classification';
import { parseRoutingConfig } from '#domain/routing';
import { localRouting } from '#local/routing';

const routing = parseRoutingConfig(localRouting);
const name = 'Jonathan Edward Smith';
const dateOfBirth = '1984-03-02';
const dobWritten = ['1984-03-02', '02/03/1984', '2 March 1984', '02/03/84'];

/**
 * An alert as the record use case raises it, with the person's name and date of birth riding along
 * (as they would if a producer or a later contract version sent them): none of it may reach a message.
 */
function alertWithPersonalData(overrides: Partial<AlertDraft> = {}): Alert {
  const classification = classifyRelease(
    {
      releasedAt: '2026-11-20T16:40:00Z',
      planned: false,
      accommodation: 'NO_FIXED_ABODE',
      aftercarePlan: 'NONE',
    },
    { calendar: englandAndWales, lateDayFrom: '15:00' },
  );
  const draft = {
    kind: 'CRITICAL_RELEASE',
    dedupKey: 'CRITICAL_RELEASE|A1234BC|2026-11-20|oncall:E06000005',
    recipientGroup: 'oncall:E06000005',
    urgency: classification.urgency,
    caseRef: 'GH-ABCD-EFGH',
    prisonNumber: 'A1234BC',
    prisonId: 'DMI',
    localAuthority: 'E06000005',
    releasedAt: '2026-11-20T16:40:00Z',
    flags: classification.flags,
    reasons: classification.reasons,
    needs: ['DRUGS_AND_ALCOHOL', 'HEALTH'],
    policy: routing.escalation,
    person: { name, dateOfBirth, prisonNumber: 'A1234BC' },
    ...overrides,
  } as AlertDraft;
  return {
    ...openAlert(draft, new Date('2026-11-20T16:45:00Z'), routing, testIdentifierKey),
    acknowledgedAt: '2026-11-20T16:52:00Z',
  };
}

const context = {
  links: {
    acknowledge: 'https://gatehouse.example/alerts/x/ack?t=abc.def',
    resolve: 'https://gatehouse.example/alerts/x/resolve?t=abc.def',
  },
  acknowledgedBy: 'Sam, primary on call',
};

describe('what an SMS says', () => {
  it('gives the on-call worker the case reference, time, prison, area, flags, needs, how to take it by reply and the link in one message', () => {
    expect(messageFor(alertWithPersonalData(), 'page', context).text).toBe(
      'Gatehouse CRITICAL: case GH-ABCD-EFGH released Fri 20/11 16:40 from HMP Durham to Darlington. ' +
        'Unplanned, last working day before a weekend or bank holiday, late in the day, no fixed abode, no aftercare plan. ' +
        'Needs: drugs and alcohol, health. Reply 1 to take this case. Acknowledge: https://gatehouse.example/alerts/x/ack?t=abc.def',
    );
  });

  const purposes: [string, Partial<AlertDraft>, NoticePurpose][] = [
    ['a CRITICAL page', {}, 'page'],
    ['a referral', { kind: 'REFERRAL' }, 'page'],
    ['the news of an acknowledgement', {}, 'acknowledged'],
    ['a reminder', {}, 'reminder'],
  ];
  it.each(purposes)(
    'never carries the name, date of birth or prison number in %s',
    (_, overrides, purpose) => {
      const message = messageFor(alertWithPersonalData(overrides), purpose, context);
      const everything = [message.text, message.subject, ...Object.values(message.personalisation)].join(
        '\n',
      );
      for (const part of [name, ...name.split(' '), ...dobWritten, 'A1234BC'])
        expect(everything).not.toContain(part);
    },
  );

  it('never carries them in a pre-release warning or a digest either', () => {
    const person = {
      prisonNumber: 'A1234BC',
      version: 1,
      cases: [
        {
          caseRef: 'GH-WARN-0001',
          status: 'SCHEDULED',
          prisonId: 'DMI',
          scheduledFor: '2026-11-24',
          circumstances: {
            needs: ['HEALTH'],
            cohorts: [],
            destinationLocalAuthority: 'E06000005',
            name,
            dateOfBirth,
          },
          circumstancesAsOf: '',
          classification: {},
          alertKeys: [],
          events: [],
        },
      ],
    } as never;
    const warning = preReleaseWarning(person, '2026-11-23', englandAndWales, routing)!;
    const [digest] = digestAlerts(
      '2026-11-22',
      'E06000005',
      [
        {
          localAuthority: 'E06000005',
          caseRef: 'GH-DIGE-0001',
          prisonId: 'DMI',
          releaseLocal: { date: '2026-11-22', time: '10:00' },
          needs: ['HEALTH'],
        },
      ],
      routing,
    );
    for (const draft of [warning, digest!]) {
      const message = messageFor(
        openAlert(
          { ...draft, person: { name, dateOfBirth } } as AlertDraft,
          new Date('2026-11-23T08:00:00Z'),
          routing,
          testIdentifierKey,
        ),
        'page',
        context,
      );
      const everything = [message.text, message.subject, ...Object.values(message.personalisation)].join(
        '\n',
      );
      for (const part of [name, ...name.split(' '), ...dobWritten, 'A1234BC'])
        expect(everything).not.toContain(part);
    }
  });
});
