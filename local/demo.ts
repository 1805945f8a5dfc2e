/**
 * `npm run demo`: starts Gatehouse on free ports with a fresh store, plays a week at HMP Durham through the
 * local HTTP API, prints what was dispatched and counted, and stops.
 */
import './environment';
import { MissingJavaError } from './emulators';
import { startGatehouse, type Gatehouse } from './runtime';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { partnerDropsBucket } from '../functions/commons/resources';
import { localCredentials } from './emulators';
import { demoMistake, demoPartnerFile, demoWeek } from './demo-scenario';

const started = Date.now();
const print = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  print('Gatehouse demo: a week of releases from HMP Durham, 16–20 November 2026\n');
  const gatehouse = await startGatehouse({ fresh: true, port: 0, dataDir: '.gatehouse/demo' });
  try {
    print(`Local stack up on ${gatehouse.url} (DynamoDB Local ${gatehouse.endpoints.dynamodb}, S3 ${gatehouse.endpoints.s3})\n`);
    await playWeek(gatehouse);
    await showMistake(gatehouse);
    await dropPartnerFile(gatehouse);
    await gatehouse.settle();
    await showAlerts(gatehouse);
    await showFigures(gatehouse);
  } finally {
    await gatehouse.stop();
  }
  print(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. \`npm start\` keeps Gatehouse running; see README.md.`);
}

async function playWeek(gatehouse: Gatehouse): Promise<void> {
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

async function showMistake(gatehouse: Gatehouse): Promise<void> {
  const response = await post(gatehouse, '/custody-events', demoMistake.event);
  print(`▸ ${demoMistake.say}\n  → HTTP ${response.status}: ${response.body.error}`);
  for (const e of response.body.invalid[0].errors) print(`    ${e.path}: expected ${e.expected}`);
}

async function dropPartnerFile(gatehouse: Gatehouse): Promise<void> {
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

async function showAlerts(gatehouse: Gatehouse): Promise<void> {
  const { alerts } = await get(gatehouse, '/alerts');
  print(`\nAlerts dispatched (${alerts.length}):`);
  for (const a of alerts) print(`  [${a.channel} → ${a.recipient}] ${a.text}`);
}

async function showFigures(gatehouse: Gatehouse): Promise<void> {
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

main().catch((error) => {
  if (error instanceof MissingJavaError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
