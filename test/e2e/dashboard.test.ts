/**
 * The LCJB dashboard in headless Chromium (Debian's, never a downloaded browser) on the local runtime with
 * the demo's week: every table and chart shows the API's exact figures, the API's release figures agree
 * with the demo's cases, and the page is usable from the keyboard. Saves a screenshot under test-results/ (ignored);
 * `npm run screenshot` runs this test to replace docs/dashboard.png for the README on purpose.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseContribution } from '#domain/aggregates';
import type { ReleaseCase } from '#domain/release-case';
import { demoOptions, playDemo } from '#local/demo';
import { demoCases } from '#test-support/demo';
import { getJson, testGatehouse } from '#test-support/gatehouse';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const canRun = existsSync(chromiumPath) || Boolean(process.env.CI);
if (!canRun)
  console.warn(
    `SKIPPED the dashboard browser test: no Chromium at ${chromiumPath}. Install it: sudo apt-get install -y chromium`,
  );

// Where the screenshot goes: never a tracked file unless asked for (`npm run screenshot` sets docs/dashboard.png).
const screenshotPath = process.env.DASHBOARD_SCREENSHOT ?? join('test-results', 'dashboard.png');

const period = { from: '2026-11-16', to: '2026-11-29', granularity: 'week' };
const durham = 'E06000047';

/** Releases the cases count for in the period (and area), from what each case contributes. */
function releasesIn(cases: ReleaseCase[], la?: string): number {
  return cases
    .flatMap((c) => releaseContribution(c))
    .filter(
      (d) =>
        d.family === 'releases' &&
        d.date >= period.from &&
        d.date <= period.to &&
        (!la || (d.dimensions as Record<string, string>).la === la),
    )
    .reduce((n, d) => n + (d.counts.total ?? 0), 0);
}

/** The little of the page's globals the test reads (the project compiles without the DOM library). */
interface Browser {
  document: {
    getElementById(id: string): { textContent: string | null };
    activeElement: { textContent: string | null } | null;
  };
  Chart: {
    getChart(canvas: unknown): {
      data: { labels?: unknown[]; datasets: { label: string; data: unknown[] }[] };
    };
  };
}

type Value = { value: number | null; numerator?: number; denominator?: number };
type Figures = {
  periods: { period: string; values: Record<string, Value> }[];
  totals: Record<string, Value>;
};

describe.skipIf(!canRun)('the dashboard in headless Chromium, on the demo week', () => {
  let gatehouse: Awaited<ReturnType<typeof testGatehouse>>;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    // The whole demo (its own S3 emulator, for the partner file): escalation, acknowledgement and accommodation too.
    gatehouse = await testGatehouse({ ...demoOptions, s3Endpoint: undefined });
    await playDemo(gatehouse, () => undefined);
    profile = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await gatehouse?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** The figures the page asked for, straight from the API. */
  async function apiFigures(la?: string): Promise<Figures> {
    const metric = await page.evaluate(
      () =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((n) => n.includes('/aggregates?'))
          .at(-1)!,
    );
    const query = new URL(metric).searchParams;
    if (la) expect(query.get('la')).toBe(la);
    return (await getJson(`${gatehouse.url}/aggregates?${query}`)).body;
  }

  const tableRows = (id: string) =>
    page.$$eval(`#${id}-table tbody tr`, (rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent)),
    );
  const chartData = (id: string) =>
    page.evaluate((canvasId) => {
      const { Chart, document } = globalThis as unknown as Browser;
      const chart = Chart.getChart(document.getElementById(canvasId));
      return {
        labels: chart.data.labels,
        datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
      };
    }, `${id}-chart`);
  const shown = (v: Value) =>
    v.value === null ? '– (0 of 0)' : `${v.value}% (${v.numerator} of ${v.denominator})`;

  it('shows the demo week: releases planned and unplanned, the shares, needs and how they pair, acknowledgement and accommodation', async () => {
    await page.goto(`${gatehouse.url}/?${new URLSearchParams(period)}`);
    await page.waitForSelector('main[aria-busy="false"]');
    expect(await page.textContent('#status')).toBe('Showing all areas, 2026-11-16 to 2026-11-29, by week.');
    const figures = await apiFigures();

    // The release figures the API gives are those of the demo's cases as they stand.
    expect(figures.totals['releases.total']!.value).toBe(releasesIn(await demoCases(gatehouse)));
    expect(figures.totals['releases.total']!.value).toBeGreaterThan(0);

    const v = (period: Figures['periods'][number], name: string) => period.values[name]!.value;
    expect(await tableRows('releases')).toEqual(
      figures.periods.map((p) => [
        p.period,
        ...['planned', 'unplanned', 'total'].map((n) => String(v(p, `releases.${n}`))),
      ]),
    );
    expect(await chartData('releases')).toEqual({
      labels: figures.periods.map((p) => p.period),
      datasets: [
        { label: 'Planned', data: figures.periods.map((p) => v(p, 'releases.planned')) },
        { label: 'Unplanned', data: figures.periods.map((p) => v(p, 'releases.unplanned')) },
      ],
    });

    const shareNames = ['releases.lateWeek.rate', 'releases.lateDay.rate', 'releases.noFixedAbode.rate'];
    expect(await tableRows('shares')).toEqual(
      figures.periods.map((p) => [p.period, ...shareNames.map((n) => shown(p.values[n]!))]),
    );
    expect((await chartData('shares')).datasets.map((d) => d.data)).toEqual(
      shareNames.map((n) => figures.periods.map((p) => v(p, n))),
    );

    const headline = await page.$$eval('#headline div', (tiles) =>
      tiles.map((t) => [t.querySelector('dt')!.textContent, t.querySelector('dd')!.textContent]),
    );
    const late = figures.totals['releases.lateWeek.rate']!;
    expect(headline).toContainEqual(['Releases', String(figures.totals['releases.total']!.value)]);
    expect(headline).toContainEqual([
      'Late in the week',
      `${late.value}%${late.numerator} of ${late.denominator} releases`,
    ]);

    const buckets = ['lt5', '5to15', '15to30', '30to60', 'gt60'];
    expect((await tableRows('ack')).map((row) => row[1])).toEqual(
      buckets.map((b) => String(figures.totals[`alerts.ackWithin.${b}`]!.value)),
    );
    expect((await chartData('ack')).datasets[0]!.data).toEqual(
      buckets.map((b) => figures.totals[`alerts.ackWithin.${b}`]!.value),
    );

    const pathways = [
      'ACCOMMODATION',
      'ATTITUDES_THINKING_AND_BEHAVIOUR',
      'CHILDREN_FAMILIES_AND_COMMUNITY',
      'DRUGS_AND_ALCOHOL',
      'EDUCATION_SKILLS_AND_WORK',
      'FINANCE_AND_ID',
      'HEALTH',
    ];
    expect((await tableRows('needs')).map((row) => row[1])).toEqual(
      pathways.map((p) => String(figures.totals[`releases.need.${p}`]!.value)),
    );
    const pair = (a: string, b: string) =>
      (a === b
        ? figures.totals[`releases.need.${a}`]!
        : figures.totals[`releases.needPair.${[a, b].sort().join('+')}`]!
      ).value;
    expect((await tableRows('pairs')).map((row) => row.slice(1))).toEqual(
      pathways.map((a) => pathways.map((b) => String(pair(a, b)))),
    );
    expect((await chartData('pairs')).datasets[0]!.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          y: 'Drugs and alcohol',
          x: 'Health',
          v: pair('DRUGS_AND_ALCOHOL', 'HEALTH'),
        }),
      ]),
    );
    expect(pair('DRUGS_AND_ALCOHOL', 'HEALTH')).toBeGreaterThan(0);

    const statuses = ['SETTLED', 'TEMPORARY', 'APPROVED_PREMISES', 'CAS3', 'NO_FIXED_ABODE', 'UNKNOWN'];
    const accommodation = await tableRows('accommodation');
    expect(accommodation[0]).toEqual([
      'On release',
      ...statuses.map((s) => String(figures.totals[`releases.accommodation.${s}`]!.value)),
    ]);
    expect(accommodation.slice(1).map((row) => row[0])).toEqual([
      'First night',
      'Day 7',
      'Day 28',
      'Week 12',
    ]);
    expect(accommodation[1]).toEqual([
      'First night',
      ...statuses.map((s) => String(figures.totals[`accommodation.night1.${s}`]!.value)),
    ]);

    expect(await page.getAttribute('#releases-chart', 'aria-label')).toContain('Releases by week.');
    mkdirSync(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('filters by area from the keyboard alone', async () => {
    await page.focus('#la');
    await page.keyboard.press('ArrowDown'); // County Durham
    // On through the date fields (each has a stop per part) and the granularity, to the button.
    const focused = () =>
      page.evaluate(() => (globalThis as unknown as Browser).document.activeElement?.textContent);
    for (let i = 0; i < 20 && (await focused()) !== 'Show figures'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Show figures');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      (globalThis as unknown as Browser).document
        .getElementById('status')
        .textContent!.startsWith('Showing county durham'),
    );
    await page.waitForSelector('main[aria-busy="false"]');
    expect(new URL(page.url()).searchParams.get('la')).toBe(durham);

    const figures = await apiFigures(durham);
    expect(figures.totals['releases.total']!.value).toBe(releasesIn(await demoCases(gatehouse), durham));
    expect(await tableRows('releases')).toEqual(
      figures.periods.map((p) => [
        p.period,
        ...['planned', 'unplanned', 'total'].map((n) => String(p.values[`releases.${n}`]!.value)),
      ]),
    );
    expect(problems).toEqual([]);
  });
});
