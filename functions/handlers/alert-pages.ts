/**
 * The small pages behind an alert's signed link: what the alert is about (no name, no date of birth, no
 * prison number — the same facts as the SMS) and one button. Plain HTML that works on any phone.
 */
import { flagsInWords, needsInWords } from '#domain/alert-message';
import type { Alert } from '#domain/alerts';
import { londonTime } from '#domain/calendar';
import { localAuthorityName, prisonName } from '#domain/places';
import type { AcknowledgeResult } from '#use-cases/acknowledge-alert';
import type { ApiResponse } from './http';

const verbs = {
  ack: {
    button: "I've got it — acknowledge",
    done: 'Acknowledged. The escalation has stopped and the others who were paged are being told.',
  },
  resolve: { button: 'Mark resolved', done: 'Resolved. No more reminders will be sent.' },
};

export function alertPage(result: AcknowledgeResult, formAction: string, wantsJson: boolean): ApiResponse {
  const status = { 'invalid-link': 403, 'not-found': 404, view: 200, done: 200, unchanged: 409 }[
    result.outcome
  ];
  if (wantsJson) return { status, body: jsonOf(result) };
  const body = (() => {
    switch (result.outcome) {
      case 'invalid-link':
        return `<p>This link cannot be used: ${escapeHtml(result.why)}.</p>`;
      case 'not-found':
        return '<p>No such alert: it may have passed its retention period.</p>';
      case 'view':
        return `${summary(result.alert)}${result.actionable ? `<form method="post" action="${escapeHtml(formAction)}"><button type="submit">${verbs[result.action].button}</button></form>` : `<p>Nothing to do: ${escapeHtml(result.why ?? '')}.</p>`}`;
      case 'done':
        return `${summary(result.alert)}<p><strong>${verbs[result.action].done}</strong></p>`;
      case 'unchanged':
        return `${summary(result.alert)}<p>Nothing changed: ${escapeHtml(result.why)}.</p>`;
    }
  })();
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' },
    text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Gatehouse alert</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:1rem auto;padding:0 1rem"><h1>Gatehouse alert</h1>${body}</body></html>`,
  };
}

function summary(alert: Alert): string {
  const when = alert.releaseLocal
    ? `released ${alert.releaseLocal.date} ${alert.releaseLocal.time}`
    : alert.scheduledFor
      ? `due ${alert.scheduledFor}`
      : '';
  const flags = flagsInWords(alert.flags).join(', ');
  return `<p><strong>${escapeHtml(alert.urgency)}</strong> · case ${escapeHtml(alert.caseRef ?? alert.kind)} · ${escapeHtml(when)} from ${escapeHtml(prisonName(alert.prisonId))} to ${escapeHtml(localAuthorityName(alert.localAuthority))}</p>${flags ? `<p>${escapeHtml(flags)}</p>` : ''}${alert.needs.length ? `<p>Needs: ${escapeHtml(needsInWords(alert.needs))}</p>` : ''}<p>Status: ${escapeHtml(alert.status.toLowerCase())}${alert.acknowledgedAt ? ` (acknowledged ${escapeHtml(londonTime(alert.acknowledgedAt).time)})` : ''}</p>`;
}

function jsonOf(result: AcknowledgeResult): unknown {
  if (result.outcome === 'invalid-link') return { outcome: result.outcome, error: result.why };
  if (result.outcome === 'not-found') return { outcome: result.outcome, error: 'no such alert' };
  const { alert } = result;
  return {
    outcome: result.outcome,
    ...('why' in result && result.why ? { why: result.why } : {}),
    ...(result.outcome === 'view' ? { actionable: result.actionable } : {}),
    alert: {
      alertId: alert.alertId,
      kind: alert.kind,
      caseRef: alert.caseRef,
      status: alert.status,
      step: alert.step,
      acknowledgedAt: alert.acknowledgedAt,
      resolvedAt: alert.resolvedAt,
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
