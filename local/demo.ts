/**
 * `npm run demo`: starts Gatehouse on free ports with a fresh store, plays a week at HMP Durham through the
 * local HTTP API, prints what was dispatched and counted, and stops.
 */
import './environment';
import { startGatehouse, type Gatehouse } from './runtime';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { partnerDropsBucket } from '../functions/commons/resources';
import type { RotaEntry } from '../functions/domain/rota';
import { localCredentials, MissingJavaError } from './emulators';
import { demoMistake, demoPartnerFile, demoWeek, showHospitalDetention } from './demo-scenario';

type Print = (line?: string) => void;

// The demo's clock runs at the wall clock's pace from just after the week's last release (Friday 20 November 2026,
// 16:45), so the week's alerts are live whatever day the demo runs; it can jump ahead, so an escalation's 15 minutes take no time.
let clockOffsetMs = Date.parse('2026-11-20T16:45:00Z') - Date.now();
const clock = () => new Date(Date.now() + clockOffsetMs);

async function main(): Promise<void> {
  const started = Date.now();
  const print: Print = (line = '') => process.stdout.write(`${line}\n`);
  print('Gatehouse demo: a week of releases from HMP Durham, 16–20 November 2026\n');
  const gatehouse = await startGatehouse({ fresh: true, port: 0, dataDir: '.gatehouse/demo', ...demoOptions });
  try {
    print(`Local stack up on ${gatehouse.url} (DynamoDB Local ${gatehouse.endpoints.dynamodb}, S3 ${gatehouse.endpoints.s3})\n`);
    await playDemo(gatehouse, print);
  } finally {
    await gatehouse.stop();
  }
  print(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. \`npm start\` keeps Gatehouse running; see README.md.`);
}

/** How the demo's Gatehouse must be started: on the demo's clock, sweeping only when the demo says. */
export const demoOptions = { clock, sweepEveryMs: 0 } as const;

/** Plays the whole demo against a Gatehouse started with `demoOptions`; the tests play it too. */
export async function playDemo(gatehouse: Gatehouse, print: Print): Promise<void> {
  await gatehouse.saveRota(demoRota(clock()));
  await playWeek(gatehouse, print);
  await showHospitalDetention(gatehouse, print);
  await showMistake(gatehouse, print);
  await dropPartnerFile(gatehouse, print);
  await gatehouse.settle();
  await showAlerts(gatehouse, print);
  await showEscalation(gatehouse, print);
  await showFigures(gatehouse, print);
}

async function playWeek(gatehouse: Gatehouse, print: Print): Promise<void> {
  for (const step of demoWeek) {
    const response = await post(gatehouse, '/custody-events', step.events);
    print(`▸ ${step.say}\n  → HTTP ${response.status}, ${step.events.length} event(s) accepted`);
    await gatehouse.settle();
    for (const prisonNumber of new Set(step.events.map((e) => (e as { person: { prisonNumber: string } }).person.prisonNumber))) {
      const view = await get(gatehouse, `/cases/${prisonNumber}`);
      const c = view.current;
      print(`  ${c.caseRef}  ${c.status.padEnd(9)} ${c.classification.urgency.padEnd(8)} ${c.classification.reasons.join('; ') || 'no concerns'}`);
    }
  }
}

async function showMistake(gatehouse: Gatehouse, print: Print): Promise<void> {
  const response = await post(gatehouse, '/custody-events', demoMistake.event);
  print(`▸ ${demoMistake.say}\n  → HTTP ${response.status}: ${response.body.error}`);
  for (const e of response.body.invalid[0].errors) print(`    ${e.path}: expected ${e.expected}`);
}

async function dropPartnerFile(gatehouse: Gatehouse, print: Print): Promise<void> {
  const s3 = new S3Client({ endpoint: gatehouse.endpoints.s3, region: 'eu-west-2', credentials: localCredentials, forcePathStyle: true });
  try {
    const bucket = gatehouse.names.buckets[partnerDropsBucket.id]!;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: demoPartnerFile.key, Body: demoPartnerFile.csv }));
    await gatehouse.settle();
    const reportKey = demoPartnerFile.key.replace(/^incoming\//, 'reports/').replace(/\.csv$/, '.report.json');
    const report = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKey }))).Body!.transformToString());
    print(`▸ ${demoPartnerFile.say}\n  → s3://…/${demoPartnerFile.key}: ${report.summary}; report in ${reportKey}`);
    for (const w of report.warnings) print(`    warning: ${w}`);
    for (const r of report.rejections) print(`    line ${r.line}, ${r.column}: '${r.value}' — ${r.reason}`);
    const { totals } = await get(gatehouse, '/aggregates?family=accommodation&la=E06000005');
    print(`  Darlington, first night: ${Object.entries(totals).filter(([n, v]) => n.startsWith('night1.') && v).map(([n, v]) => `${n.slice(7).toLowerCase().replaceAll('_', ' ')} ${v}`).join(', ')}`);
  } finally {
    s3.destroy();
  }
}

async function showAlerts(gatehouse: Gatehouse, print: Print): Promise<void> {
  const { alerts } = await get(gatehouse, '/alerts');
  print(`\nAlerts dispatched (${alerts.length}):`);
  for (const a of alerts) print(`  [${a.via} → ${a.recipientLabel}] ${shortLinks(a.text)}`);
}

/** The Friday 16:40 alert: nobody answers the primary, the secondary is paged at +15 and acknowledges through the link. */
async function showEscalation(gatehouse: Gatehouse, print: Print): Promise<void> {
  const pages = async () => ((await get(gatehouse, '/alerts')).alerts as { template: string; notice: string; recipientLabel: string; text: string }[]).filter((a) => a.template === 'critical' && a.text.includes('Darlington'));
  print('\n▸ Nobody acknowledges the Friday alert; the demo moves its clock on 16 minutes and the sweeper runs');
  clockOffsetMs += 16 * 60_000;
  const swept = await gatehouse.sweep();
  await gatehouse.settle();
  const secondary = (await pages()).find((p) => p.notice === 'page.001');
  if (!secondary) throw new Error('the Friday alert did not escalate to the secondary');
  print(`  sweep: ${swept.escalated} escalated (Darlington's and County Durham's) → [sms → ${secondary.recipientLabel}] ${shortLinks(secondary.text)}`);

  clockOffsetMs += 4 * 60_000;
  const link = /Acknowledge: (\S+)/.exec(secondary.text)![1]!;
  const page = await fetch(link);
  print(`▸ Four minutes later the secondary opens the link: HTTP ${page.status}, a page with one button ("I've got it")`);
  const ack = await fetch(link, { method: 'POST', headers: { accept: 'application/json' } });
  const body = (await ack.json()) as { alert: { status: string } };
  print(`  and presses it: HTTP ${ack.status}, alert ${body.alert.status.toLowerCase()}`);
  await gatehouse.settle();
  const told = ((await get(gatehouse, '/alerts')).alerts as { template: string; recipientLabel: string; text: string }[]).filter((a) => a.template === 'acknowledged');
  for (const t of told) print(`  [sms → ${t.recipientLabel}] ${t.text}`);
  const again = await fetch(link, { method: 'POST', headers: { accept: 'application/json' } });
  print(`▸ Pressed again: HTTP ${again.status}, ${((await again.json()) as { why: string }).why}`);

  clockOffsetMs += 30 * 60_000;
  const later = await gatehouse.sweep();
  await gatehouse.settle();
  const darlingtonPages = (await pages()).length;
  print(`▸ Thirty minutes on: Darlington's alert has had ${darlingtonPages} pages and gets no more (County Durham's, still unanswered, moved on: ${later.escalated} escalated). Alert figures:`);
  const { totals } = await get(gatehouse, '/aggregates?family=alerts');
  print(`  raised ${totals.raised ?? 0} (on-call ${totals['raised.CRITICAL_RELEASE'] ?? 0}, referrals ${totals['raised.REFERRAL'] ?? 0}), escalated ${totals.escalated ?? 0}, acknowledged ${totals.acknowledged ?? 0} in ${totals['ackMinutes.max'] ?? '?'} min (15–30 min bucket: ${totals['ackWithin.15to30'] ?? 0})`);
}

/** The signed token makes a link long; the demo shows where it goes. */
function shortLinks(text: string): string {
  return text.replace(/\?t=\S+/g, '?t=…');
}

/** Darlington's on-call rota for the demo, as the partner's on-call-rota file would give it. */
/** Darlington's on-call rota for the demo week: invented people (Ofcom drama numbers). */
export function demoRota(now: Date): RotaEntry[] {
  const start = new Date(now.getTime() - 3_600_000).toISOString();
  const end = new Date(now.getTime() + 86_400_000).toISOString();
  const entry = (tier: RotaEntry['tier'], address: string, displayName: string): RotaEntry => ({ localAuthority: 'E06000005', tier, start, end, channel: 'sms', address, displayName, source: 'demo rota' });
  return [entry('primary', '07700900111', 'Sam Okafor'), entry('secondary', '07700900112', 'Alex Reid'), entry('manager', '07700900113', 'Jo Hartley')];
}

async function showFigures(gatehouse: Gatehouse, print: Print): Promise<void> {
  const { totals } = await get(gatehouse, '/aggregates?from=2026-11-16&to=2026-11-22');
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
  print('\nFigures for the week (all areas, all prisons):');
  for (const [label, name] of rows) print(`  ${label.padEnd(44)} ${String(totals[name] ?? 0).padStart(3)}`);
  const needs = Object.entries(totals).filter(([name]) => name.startsWith('need.'));
  print(`  needs: ${needs.map(([name, n]) => `${name.slice(5).toLowerCase().replaceAll('_', ' ')} ${n}`).join(', ')}`);
  const pairs = Object.entries(totals).filter(([name]) => name.startsWith('needPair.'));
  print(`  needs that came together: ${pairs.map(([name, n]) => `${name.slice(9).toLowerCase().replaceAll('_', ' ')} ${n}`).join(', ')}`);
}

async function post(gatehouse: Gatehouse, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${gatehouse.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function get(gatehouse: Gatehouse, path: string): Promise<any> {
  const response = await fetch(`${gatehouse.url}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.json();
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((error) => {
    if (error instanceof MissingJavaError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
