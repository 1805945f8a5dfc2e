/**
 * `npm run demo`: starts Gatehouse on free ports with a fresh store, plays a week at HMP Durham through the
 * local HTTP API on the story's own clock, prints what was dispatched and counted, and stops.
 *
 * The demo is a list of steps (`demoSteps`), played in order. Each step moves the story clock to its moment
 * (`ctx.at`), does what happens then, and prints it; the messages it caused are printed from the outbox. Every
 * time printed is the story's time and every count is read back from Gatehouse. To add a step, add an entry to
 * the list where it belongs in the story.
 */
import './environment';
import { startGatehouse, type Gatehouse } from './runtime';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { partnerDropsBucket } from '#commons/resources';
import type { OutboxEntry } from '#adapters/channels/local-outbox';
import { londonInstant, londonTime } from '#domain/calendar';
import type { RotaEntry } from '#domain/rota';
import type { SweepResult } from '#use-cases/sweep';
import { localCredentials, MissingJavaError } from './emulators';
import {
  demoFactsPeople,
  demoFailedPage,
  demoHospitalDetention,
  demoMistake,
  demoPartnerFile,
  demoWeek,
  showHospitalDetention,
  type DemoStep as ScenarioStep,
} from './demo-scenario';

type Print = (line?: string) => void;

/** A clock that stands still until the story moves it: every instant the functions read is the story's. */
export interface StoryClock {
  (): Date;
  set(instant: string | Date): void;
  advance(minutes: number): void;
  /** Back to the start, for playing the story again. */
  reset(): void;
}

export function storyClock(start: string): StoryClock {
  let now = Date.parse(start);
  const clock = (() => new Date(now)) as StoryClock;
  clock.set = (instant) => {
    const next = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    // The story only moves forward: an earlier instant would make an escalation or a digest run backwards.
    if (next < now)
      throw new Error(
        `the demo's clock cannot go back from ${new Date(now).toISOString()} to ${new Date(next).toISOString()}`,
      );
    now = next;
  };
  clock.advance = (minutes) => clock.set(new Date(now + minutes * 60_000));
  clock.reset = () => {
    now = Date.parse(start);
  };
  return clock;
}

/** The Monday the story starts, before anything happens. */
export const demoStart = '2026-11-16T08:00:00Z';
const clock = storyClock(demoStart);

/** How the demo's Gatehouse must be started: on the demo's clock, sweeping only when the demo says. */
export const demoOptions = { clock, sweepEveryMs: 0, notifyStandIn: true } as const;

export interface DemoContext {
  gatehouse: Gatehouse;
  print: Print;
  clock: StoryClock;
  /** Moves the story clock to `instant` and prints it as the step's heading with `what`. */
  at(instant: string | Date, what: string): void;
  /** The messages sent since the last call, as the local outbox holds them. */
  newMessages(): Promise<OutboxEntry[]>;
  /** Prints each message with its channel and recipient, links shortened. */
  printMessages(messages: OutboxEntry[], indent?: string): void;
  /** Runs the minute sweep now (story time) and waits for what it caused to be dispatched. */
  sweep(): Promise<SweepResult>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of Gatehouse's own API; each step reads the fields it prints
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  get(path: string): Promise<any>;
}

export interface DemoStepDefinition {
  /** A short name for the step (for a reader of this file; not printed). */
  name: string;
  run(ctx: DemoContext): Promise<void>;
}

const fridayAlertStep = demoWeek.at(-1)!;
/** HMPPS's hospital detention arrives as an SNS notification; its moment is inside the domain event. */
const hospitalAt = (JSON.parse(demoHospitalDetention.event.Message) as { occurredAt: string }).occurredAt;
const fridayAlertAt = latestOccurrence(fridayAlertStep);

/** The steps of the demo, in story order. */
export const demoSteps: DemoStepDefinition[] = [
  {
    name: 'rota',
    async run(ctx) {
      ctx.at(
        demoStart,
        "Darlington's on-call rota for the week arrives (as the partner's on-call-rota file would give it)",
      );
      await ctx.gatehouse.saveRota(demoRota());
      ctx.print(
        `  ${demoRota()
          .map((e) => `${e.tier} ${e.displayName}`)
          .join(', ')}`,
      );
    },
  },
  ...demoWeek.filter((step) => latestOccurrence(step) < '2026-11-18').map(weekStep),
  {
    name: 'wednesday morning sweep',
    async run(ctx) {
      ctx.at(
        londonInstant('2026-11-18', '08:30'),
        "The minute sweep on Wednesday morning: yesterday's routine releases go out as one digest per service, and releases due within two working days that still have no accommodation are warned about",
      );
      const swept = await ctx.sweep();
      ctx.print(`  sweep: digests ${swept.digests}, pre-release warnings ${swept.warnings}`);
      ctx.printMessages(await ctx.newMessages());
    },
  },
  ...demoWeek
    .filter((step) => latestOccurrence(step) >= '2026-11-18' && latestOccurrence(step) < hospitalAt)
    .map(weekStep),
  {
    name: 'hospital detention',
    async run(ctx) {
      ctx.at(hospitalAt, demoHospitalDetention.say);
      await showHospitalDetention(ctx.gatehouse, ctx.print);
    },
  },
  ...demoWeek.filter((step) => latestOccurrence(step) >= hospitalAt).map(weekStep),
  {
    name: 'escalation',
    async run(ctx) {
      ctx.at(
        new Date(Date.parse(fridayAlertAt) + 16 * 60_000),
        'Nobody has acknowledged the Friday alert after 16 minutes; the minute sweep runs',
      );
      const swept = await ctx.sweep();
      const pages = (await ctx.newMessages()).filter((m) => m.notice.startsWith('page.'));
      ctx.print(`  sweep: ${swept.escalated} alert(s) moved to their next escalation step, paging:`);
      ctx.printMessages(pages, '    ');
      const darlington = pages.find((p) => p.text.includes('Darlington'));
      if (!darlington) throw new Error('the Friday alert did not escalate');

      ctx.at(
        new Date(ctx.clock().getTime() + 4 * 60_000),
        `${darlington.recipientLabel} opens the link in the page`,
      );
      const link = /Acknowledge: (\S+)/.exec(darlington.text)![1]!;
      const page = await fetch(link);
      ctx.print(`  GET: HTTP ${page.status}, a page with one button ("I've got it")`);
      const ack = await fetch(link, { method: 'POST', headers: { accept: 'application/json' } });
      const body = (await ack.json()) as { alert: { status: string } };
      ctx.print(`  and presses it: HTTP ${ack.status}, alert ${body.alert.status.toLowerCase()}`);
      await ctx.gatehouse.settle();
      ctx.print('  Everyone paged so far is told who has it:');
      ctx.printMessages(await ctx.newMessages(), '    ');
      const again = await fetch(link, { method: 'POST', headers: { accept: 'application/json' } });
      ctx.print(`  Pressed again: HTTP ${again.status}, ${((await again.json()) as { why: string }).why}`);

      ctx.at(new Date(ctx.clock().getTime() + 30 * 60_000), 'Thirty minutes on, the minute sweep runs again');
      const later = await ctx.sweep();
      ctx.print(`  sweep: ${later.escalated} alert(s) escalated; the acknowledged one pages nobody:`);
      ctx.printMessages(await ctx.newMessages(), '    ');
    },
  },
  { name: 'page fails and a reply takes it', run: showFailedPageAndReply },
  {
    name: 'hmpps release with facts fetched',
    async run(ctx) {
      const at = new Date(ctx.clock().getTime() + 5 * 60_000);
      ctx.at(
        at,
        `HMPPS reports a bare release of ${demoFactsPeople.bareRelease} (no date, destination or accommodation in the event); Gatehouse asks HMPPS's APIs (the stand-ins)`,
      );
      await ctx.post('/custody-events', hmppsRelease(demoFactsPeople.bareRelease, at, 'CR'));
      await ctx.gatehouse.settle();
      printFacts(ctx, (await ctx.get(`/cases/${demoFactsPeople.bareRelease}`)).current);
      const messages = await ctx.newMessages();
      ctx.printMessages(messages);
      if (!messages.some((m) => m.template === 'critical' && m.text.includes('to Darlington')))
        throw new Error("the bare HMPPS release did not page Darlington's on-call worker");
    },
  },
  {
    name: 'hmpps prisoner search down',
    async run(ctx) {
      const hmpps = ctx.gatehouse.hmpps!;
      hmpps.setMode('prisoner-search', 'failing');
      try {
        const at = new Date(ctx.clock().getTime() + 5 * 60_000);
        ctx.at(
          at,
          `Prisoner Search is down (stand-in switched to failing); HMPPS reports a bare release of ${demoFactsPeople.detailsUnavailable}`,
        );
        await ctx.post('/custody-events', hmppsRelease(demoFactsPeople.detailsUnavailable, at, 'CR'));
        await ctx.gatehouse.settle();
        const waiting = (await ctx.get(`/cases/${demoFactsPeople.detailsUnavailable}`)).current;
        ctx.print(
          `  ${waiting.caseRef}  waiting for its facts until ${storyTime(waiting.factsDueBy)} (late on a Friday: a short wait); Prisoner Search: ${waiting.factSources.prisonerSearch.outcome} (${waiting.factSources.prisonerSearch.cause})`,
        );
        const early = (await ctx.newMessages()).filter((m) => m.text.includes(waiting.caseRef));
        ctx.print(`  paged so far: ${early.length}`);
        if (early.length > 0) throw new Error('a release waiting for its facts paged someone');
        ctx.at(
          waiting.factsDueBy,
          'The wait is over: the minute sweep asks again, then alerts on what is known',
        );
        const swept = await ctx.sweep();
        const after = (await ctx.get(`/cases/${demoFactsPeople.detailsUnavailable}`)).current;
        ctx.print(
          `  sweep: facts re-checked ${swept.factsRechecked ?? 0}, alerts ${swept.factsAlerts ?? 0}; could not be fetched: ${(after.factsMissing ?? []).join(', ')}`,
        );
        const pages = (await ctx.newMessages()).filter((m) => m.text.includes(waiting.caseRef));
        ctx.printMessages(pages);
        if (
          !pages.some(
            (m) =>
              m.template === 'critical' &&
              m.text.includes('Details could not be fetched from Prisoner Search'),
          )
        )
          throw new Error('the page after the wait did not say details were unavailable');
      } finally {
        hmpps.setMode('prisoner-search', 'normal');
      }
    },
  },
  {
    name: 'mistake',
    async run(ctx) {
      ctx.at(demoMistake.event.occurredAt, demoMistake.say);
      const response = await ctx.post('/custody-events', demoMistake.event);
      ctx.print(`  → HTTP ${response.status}: ${response.body.error}`);
      for (const e of response.body.invalid[0].errors) ctx.print(`    ${e.path}: expected ${e.expected}`);
    },
  },
  {
    name: 'hmpps hdc release',
    async run(ctx) {
      const at = londonInstant('2026-11-23', '08:30');
      ctx.at(
        at,
        `Monday morning: HMPPS reports a home detention curfew release of ${demoFactsPeople.curfew} (movement code HD); Prisoner Search and Delius give the approved curfew address`,
      );
      await ctx.post('/custody-events', hmppsRelease(demoFactsPeople.curfew, at, 'HD'));
      await ctx.gatehouse.settle();
      printFacts(ctx, (await ctx.get(`/cases/${demoFactsPeople.curfew}`)).current);
      const pages = (await ctx.newMessages()).filter((m) => m.template === 'critical');
      ctx.print(`  on-call pages: ${pages.length}`);
      if (pages.length > 0) throw new Error('the HDC release with a curfew address paged someone');
    },
  },
  {
    name: 'partner file',
    async run(ctx) {
      ctx.at(londonInstant('2026-11-23', '09:00'), demoPartnerFile.say);
      const s3 = new S3Client({
        endpoint: ctx.gatehouse.endpoints.s3,
        region: 'eu-west-2',
        credentials: localCredentials,
        forcePathStyle: true,
      });
      try {
        const bucket = ctx.gatehouse.names.buckets[partnerDropsBucket.id]!;
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: demoPartnerFile.key, Body: demoPartnerFile.csv }),
        );
        await ctx.gatehouse.settle();
        const reportKey = demoPartnerFile.key
          .replace(/^incoming\//, 'reports/')
          .replace(/\.csv$/, '.report.json');
        const report = JSON.parse(
          await (
            await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKey }))
          ).Body!.transformToString(),
        );
        ctx.print(
          `  → s3://…/${demoPartnerFile.key}: ${report.summary}; report in ${reportKey} (received ${storyTime(report.receivedAt)})`,
        );
        for (const w of report.warnings) ctx.print(`    warning: ${w}`);
        for (const r of report.rejections)
          ctx.print(`    line ${r.line}, ${r.column}: '${r.value}' — ${r.reason}`);
        const { totals } = await ctx.get('/aggregates?family=accommodation&la=E06000005');
        ctx.print(
          `  Darlington, first night: ${Object.entries(totals)
            .filter(([n, v]) => n.startsWith('night1.') && n !== 'night1.total' && v)
            .map(([n, v]) => `${n.slice(7).toLowerCase().replaceAll('_', ' ')} ${v}`)
            .join(', ')}`,
        );
      } finally {
        s3.destroy();
      }
    },
  },
  { name: 'alerts and messages', run: showAlertsAndMessages },
  { name: 'figures', run: showFigures },
];

/** A bare HMPPS prisoner.released from HMP Durham, as the domain events topic carries it. */
function hmppsRelease(prisonNumber: string, at: Date, code: string): Record<string, unknown> {
  const occurredAt = at.toISOString();
  return {
    version: 1,
    eventType: 'prison-offender-events.prisoner.released',
    description: 'A prisoner has been released from prison',
    occurredAt,
    publishedAt: occurredAt,
    personReference: { identifiers: [{ type: 'NOMS', value: prisonNumber }] },
    additionalInformation: {
      nomsNumber: prisonNumber,
      prisonId: 'DMI',
      reason: 'RELEASED',
      nomisMovementReasonCode: code,
      currentLocation: 'OUTSIDE_PRISON',
      currentPrisonStatus: 'NOT_UNDER_PRISON_CARE',
    },
  };
}

/** The case's facts as Gatehouse shows them: each value with where it came from and how. */
function printFacts(
  ctx: DemoContext,
  c: {
    caseRef: string;
    status: string;
    classification: { urgency: string; reasons: string[] };
    facts?: Record<string, { value: unknown; source: string; how?: string }>;
  },
): void {
  ctx.print(
    `  ${c.caseRef}  ${c.status.padEnd(9)} ${c.classification.urgency.padEnd(8)} ${c.classification.reasons.join('; ') || 'no concerns'}`,
  );
  for (const [name, fact] of Object.entries(c.facts ?? {})) {
    if (name === 'crn') continue; // a case worker sees it in the API; the demo's output does not need it
    const value =
      typeof fact.value === 'object' && fact.value !== null && 'type' in fact.value
        ? (fact.value as { type: string }).type
        : JSON.stringify(fact.value);
    ctx.print(`    ${name}: ${value} (from ${fact.source}${fact.how ? `: ${fact.how}` : ''})`);
  }
}

/**
 * A page that fails delivery escalates at once, and a text-message reply takes the case: through the local GOV.UK
 * Notify stand-in, which accepts the page, then calls back with its receipt, and forwards the reply, as Notify does.
 */
async function showFailedPageAndReply(ctx: DemoContext): Promise<void> {
  const notify = ctx.gatehouse.notify;
  if (!notify)
    throw new Error('the demo needs the local GOV.UK Notify stand-in: start its Gatehouse with demoOptions');
  const [primary, secondary] = demoRota();
  ctx.at(demoFailedPage.event.occurredAt, demoFailedPage.say);
  notify.phoneOff.add(primary!.address);
  try {
    const response = await ctx.post('/custody-events', [demoFailedPage.event]);
    ctx.print(`  → HTTP ${response.status}, ${response.body.accepted?.length ?? 0} event accepted`);
    await ctx.gatehouse.settle();
  } finally {
    notify.phoneOff.delete(primary!.address);
  }
  const messages = await ctx.newMessages();
  ctx.printMessages(messages);
  const page = messages.find((m) => m.notice === 'page.000' && m.template === 'critical');
  if (!page) throw new Error('the Friday evening release paged nobody');
  const timeline = await ctx.get(`/alerts/${page.alertId}`);
  ctx.print('  What Notify reported, and what Gatehouse did (GET /alerts/{id}):');
  for (const notice of timeline.notices as {
    notice: string;
    deliveries: { recipient: string; status: string; reason?: string }[];
  }[]) {
    for (const d of notice.deliveries)
      ctx.print(`    ${notice.notice} → ${d.recipient}: ${d.status}${d.reason ? ` (${d.reason})` : ''}`);
  }
  if (timeline.step < 1) throw new Error('the failed page did not escalate at once');
  ctx.print(
    `  The page failed, so the alert moved to step ${timeline.step} at once, without waiting out the 15 minutes.`,
  );

  ctx.at(
    new Date(ctx.clock().getTime() + 3 * 60_000),
    `${secondary!.displayName} (secondary on call) replies "1" to the page`,
  );
  const status = await notify.reply(secondary!.address, '1');
  await ctx.gatehouse.settle();
  const after = await ctx.get(`/alerts/${page.alertId}`);
  ctx.print(
    `  Notify forwards the reply: HTTP ${status}; the alert is ${String(after.status).toLowerCase()} by ${after.acknowledgedBy ?? 'the secondary'}`,
  );
  const told = await ctx.newMessages();
  if (told.length > 0) ctx.printMessages(told, '    ');
  else
    ctx.print(
      '  Nobody else was reached (the primary\'s page failed), so no "acknowledged" notice goes out.',
    );
  const again = await notify.reply(secondary!.address, '1');
  await ctx.gatehouse.settle();
  // The answer to a reply goes straight to Notify (not an outbox notice): shown as the stand-in received it.
  const answer = notify.requests
    .filter((r) => r.body.phone_number === secondary!.address && r.body.personalisation?.why)
    .at(-1);
  ctx.print(
    `  A second "1": HTTP ${again}; the alert is unchanged, and the sender is told why: "${answer?.body.personalisation?.why ?? '(no answer sent)'}"`,
  );
}

/** One scenario step (demo-scenario.ts): the events at their moment, and the cases they left. */
function weekStep(step: ScenarioStep): DemoStepDefinition {
  return {
    name: step.say,
    async run(ctx) {
      ctx.at(latestOccurrence(step), step.say);
      const response = await ctx.post('/custody-events', step.events);
      ctx.print(
        `  → HTTP ${response.status}, ${response.body.accepted?.length ?? 0} of ${step.events.length} event(s) accepted`,
      );
      await ctx.gatehouse.settle();
      for (const prisonNumber of new Set(
        step.events.map((e) => (e as { person: { prisonNumber: string } }).person.prisonNumber),
      )) {
        const c = (await ctx.get(`/cases/${prisonNumber}`)).current;
        ctx.print(
          `  ${c.caseRef}  ${c.status.padEnd(9)} ${c.classification.urgency.padEnd(8)} ${c.classification.reasons.join('; ') || 'no concerns'}`,
        );
      }
      ctx.printMessages(await ctx.newMessages());
    },
  };
}

/** The moment a scenario step happens: its latest event. */
function latestOccurrence(step: ScenarioStep): string {
  return step.events
    .map((e) => (e as { occurredAt: string }).occurredAt)
    .sort()
    .at(-1)!;
}

/** What an alert is, what a message is, and how many of each, all read back from Gatehouse. */
async function showAlertsAndMessages(ctx: DemoContext): Promise<void> {
  const { totals } = await ctx.get('/aggregates?family=alerts&from=2026-11-01&to=2026-11-30');
  const messages = (await ctx.get('/alerts')).alerts as OutboxEntry[];
  const kinds: [string, string][] = [
    ['CRITICAL_RELEASE', 'on-call'],
    ['REFERRAL', 'referrals'],
    ['PRE_RELEASE_WARNING', 'pre-release warnings'],
    ['DIGEST', 'digests'],
  ];
  const templates: [string, string][] = [
    ['critical', 'on-call pages (one per escalation step paged)'],
    ['referral', 'referrals to services'],
    ['warning', 'pre-release warnings'],
    ['digest', 'digests'],
    ['acknowledged', '"acknowledged" notices to those paged before'],
    ['reminder', 'reminders to whoever acknowledged'],
  ];
  const count = (template: string) => messages.filter((m) => m.template === template).length;
  ctx.print('\nAlerts and messages');
  ctx.print(
    `  An alert is one thing someone must act on (a release for an area's on-call rota, a referral to a service, a warning,`,
  );
  ctx.print(
    `  a digest); it is acknowledged, escalated or closed as one. A message is one SMS, e-mail or webhook sent about an alert:`,
  );
  ctx.print(`  the first page, each escalation step, each notice. So there are more messages than alerts.`);
  ctx.print(
    `  Alerts raised: ${totals.raised ?? 0} (${kinds.map(([k, label]) => `${label} ${totals[`raised.${k}`] ?? 0}`).join(', ')}); escalated ${totals.escalated ?? 0}; acknowledged ${totals.acknowledged ?? 0}, the slowest after ${totals['ackMinutes.max'] ?? '–'} min`,
  );
  ctx.print(
    `  Messages sent: ${messages.length} (${templates
      .filter(([t]) => count(t) > 0)
      .map(([t, label]) => `${label}: ${count(t)}`)
      .join('; ')})`,
  );
}

async function showFigures(ctx: DemoContext): Promise<void> {
  const { totals } = await ctx.get('/aggregates?from=2026-11-16&to=2026-11-22');
  const rows: [string, string][] = [
    ['Releases', 'total'],
    ['  planned', 'planned'],
    ['  unplanned', 'unplanned'],
    ['  on the last working day before a break', 'lateWeek'],
    ['  late in the day (15:00 or later)', 'lateDay'],
    ['  on a non-working day', 'nonWorkingDay'],
    ['  no fixed abode', 'noFixedAbode'],
    ['  no aftercare plan', 'noAftercarePlan'],
    ['  CRITICAL', 'urgency.CRITICAL'],
    ['  HIGH', 'urgency.HIGH'],
    ['  ROUTINE', 'urgency.ROUTINE'],
  ];
  ctx.print('\nFigures for the week of 16 November (all areas, all prisons)');
  for (const [label, name] of rows)
    ctx.print(`  ${label.padEnd(44)} ${String(totals[name] ?? 0).padStart(3)}`);
  const needs = Object.entries(totals).filter(([name, n]) => name.startsWith('need.') && n);
  ctx.print(
    `  needs: ${needs.map(([name, n]) => `${name.slice(5).toLowerCase().replaceAll('_', ' ')} ${n}`).join(', ')}`,
  );
  const pairs = Object.entries(totals).filter(([name, n]) => name.startsWith('needPair.') && n);
  ctx.print(
    `  needs that came together: ${pairs.map(([name, n]) => `${name.slice(9).toLowerCase().replaceAll('_', ' ')} ${n}`).join(', ')}`,
  );
}

/** Darlington's on-call rota for the demo week: invented people (Ofcom drama numbers). */
export function demoRota(): RotaEntry[] {
  const start = demoStart;
  const end = '2026-11-30T00:00:00Z';
  const entry = (tier: RotaEntry['tier'], address: string, displayName: string): RotaEntry => ({
    localAuthority: 'E06000005',
    tier,
    start,
    end,
    channel: 'sms',
    address,
    displayName,
    source: 'demo rota',
  });
  return [
    entry('primary', '07700900111', 'Sam Okafor'),
    entry('secondary', '07700900112', 'Alex Reid'),
    entry('manager', '07700900113', 'Jo Hartley'),
  ];
}

/** "Fri 20 Nov 16:40", London time. */
function storyTime(instant: string | Date): string {
  const local = londonTime(typeof instant === 'string' ? instant : instant.toISOString());
  const date = new Date(`${local.date}T12:00:00Z`);
  return `${date.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })} ${local.time}`;
}

/** The signed token makes a link long; the demo shows where it goes. */
function shortLinks(text: string): string {
  return text.replace(/\?t=\S+/g, '?t=…');
}

/** Plays every step against a Gatehouse started with `demoOptions`; the tests play it too. */
export async function playDemo(gatehouse: Gatehouse, print: Print): Promise<void> {
  if (gatehouse.clock !== clock)
    throw new Error("start the demo's Gatehouse with demoOptions: the demo moves its clock");
  clock.reset();
  let seen = 0;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of Gatehouse's own API (DemoContext.get)
  const get = async (path: string): Promise<any> => {
    const response = await fetch(`${gatehouse.url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.json();
  };
  const ctx: DemoContext = {
    gatehouse,
    print,
    clock,
    at(instant, what) {
      clock.set(instant);
      print(`\n[${storyTime(clock())}] ${what}`);
    },
    async newMessages() {
      const all = (await get('/alerts')).alerts as OutboxEntry[];
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    },
    printMessages(messages, indent = '  ') {
      for (const m of messages)
        print(`${indent}[${m.via} → ${m.recipientLabel}, ${storyTime(m.sentAt)}] ${shortLinks(m.text)}`);
    },
    async sweep() {
      const result = await gatehouse.sweep();
      await gatehouse.settle();
      return result;
    },
    async post(path, body) {
      const response = await fetch(`${gatehouse.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    get,
  };
  for (const step of demoSteps) await step.run(ctx);
}

async function main(): Promise<void> {
  const print: Print = (line = '') => process.stdout.write(`${line}\n`);
  print("Gatehouse demo: a week of releases from HMP Durham, 16–23 November 2026, on the story's own clock");
  const gatehouse = await startGatehouse({
    fresh: true,
    port: 0,
    dataDir: '.gatehouse/demo',
    ...demoOptions,
  });
  try {
    print(
      `Local stack up on ${gatehouse.url} (DynamoDB Local ${gatehouse.endpoints.dynamodb}, S3 ${gatehouse.endpoints.s3})`,
    );
    await playDemo(gatehouse, print);
  } finally {
    await gatehouse.stop();
  }
  print('\n`npm start` keeps Gatehouse running; see README.md.');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((error) => {
    if (error instanceof MissingJavaError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
