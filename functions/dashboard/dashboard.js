// The LCJB dashboard: reads named metrics from the Gatehouse API (GET /aggregates?metric=…) and shows each
// as a chart (Chart.js, served with the site) with the same figures in a table beside it.
// In AWS the API wants a Cognito access token: sign-in is the hosted UI, authorization code with PKCE.
// @ts-check: type-checked by functions/dashboard/tsconfig.json (`npm run typecheck`).
// The lists of codes are the domain's (words.js, written from functions/domain); only the board's labels are here,
// one per code, so a code added to the domain without a label fails the type check.
import { accommodationCheckpoints, accommodationStatuses, ackBuckets, pathways } from './words.js';

/** @type {Record<import('../domain/circumstances').Pathway, string>} */
const pathwayLabels = {
  ACCOMMODATION: 'Accommodation',
  ATTITUDES_THINKING_AND_BEHAVIOUR: 'Attitudes, thinking and behaviour',
  CHILDREN_FAMILIES_AND_COMMUNITY: 'Children, families and community',
  DRUGS_AND_ALCOHOL: 'Drugs and alcohol',
  EDUCATION_SKILLS_AND_WORK: 'Education, skills and work',
  FINANCE_AND_ID: 'Finance and ID',
  HEALTH: 'Health',
};
/** @type {Record<import('../domain/circumstances').Accommodation, string>} */
const statusLabels = {
  SETTLED: 'Settled',
  TEMPORARY: 'Temporary',
  APPROVED_PREMISES: 'Approved premises',
  CAS3: 'CAS3',
  NO_FIXED_ABODE: 'No fixed abode',
  UNKNOWN: 'Not known',
};
/** @type {Record<import('../domain/circumstances').AccommodationCheckpoint, string>} */
const checkpointLabels = { night1: 'First night', day7: 'Day 7', day28: 'Day 28', week12: 'Week 12' };
/** @type {Record<import('../domain/alerts').AckBucket, string>} */
const ackBucketLabels = {
  lt5: 'Under 5 min',
  '5to15': '5–15 min',
  '15to30': '15–30 min',
  '30to60': '30–60 min',
  gt60: 'Over 1 hour',
};

const pathwayList = pathways.map((code) => [code, pathwayLabels[code]]);
const statuses = accommodationStatuses.map((code) => [code, statusLabels[code]]);
// "On release" is counted with the release; the checkpoints come from partners' accommodation-outcome files.
const checkpoints = [
  ['releases.accommodation.', 'On release'],
  ...accommodationCheckpoints.map((checkpoint) => [
    `accommodation.${checkpoint}.`,
    checkpointLabels[checkpoint],
  ]),
];
const buckets = ackBuckets.map((bucket) => [bucket, ackBucketLabels[bucket]]);
const shares = [
  ['releases.lateWeek.rate', 'Late in the week'],
  ['releases.lateDay.rate', 'Late in the day (15:00 or later)'],
  ['releases.noFixedAbode.rate', 'No fixed abode'],
];
const metricsShown = [
  'releases.total',
  'releases.planned',
  'releases.unplanned',
  'releases.unplanned.rate',
  ...shares.map(([name]) => name),
  'releases.need.*',
  'releases.needPair.*',
  'releases.accommodation.*',
  'alerts.raised',
  'alerts.acknowledged',
  'alerts.ackWithin.*',
  'alerts.ackMinutes.mean',
  'accommodation.*',
];
// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const colours = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];

/** @typedef {{ value: number | null, numerator?: number, denominator?: number, suppressed?: string }} Figure */
/** @typedef {{ from: string, to: string, granularity: string, totals: Record<string, Figure>, periods: Array<{ period: string, values: Record<string, Figure> }> }} Aggregates */
/** @typedef {{ domain: string, clientId: string, redirectUri: string, scopes: string[] }} SignIn */
/** @typedef {{ apiUrl: string, auth: SignIn | null }} Config */
/** @typedef {(path: string) => Promise<Response>} Api */
/** @typedef {[label: string, value: string | { text: string, note?: string }, note?: string]} Tile */
/** @typedef {{ x: string, y: string, v: number }} PairCell */
/** @typedef {{ chart: { chartArea?: { width: number, height: number } } }} ScriptableContext */
/** @typedef {[caption: string, header: string[], body: Array<Array<string | number | null | undefined>>]} Table */

/** The element with this id, which the page always has. */
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const form =
  /** @type {HTMLFormElement & { la: HTMLSelectElement, from: HTMLInputElement, to: HTMLInputElement, granularity: HTMLSelectElement }} */ (
    $('filters')
  );
const main = $('figures');
const status = $('status');

async function start() {
  Chart.register(
    window['chartjs-chart-matrix'].MatrixController,
    window['chartjs-chart-matrix'].MatrixElement,
  );
  Chart.defaults.animation = false; // exact figures at once, and no motion for those who would rather not
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.color = '#0b0c0c';
  /** @type {Config} */
  const config = await (await fetch('config.json')).json();
  const token = config.auth ? await signIn(config.auth) : undefined;
  /** @type {Api} */
  const api = (path) => fetchFromApi(config, token, path);
  fillFilters(new URLSearchParams(location.search));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', `?${filterQuery()}`);
    void show(api);
  });
  $('export').addEventListener('click', () => void download(api));
  await show(api);
}

/** @param {URLSearchParams} params */
function fillFilters(params) {
  const today = new Date().toISOString().slice(0, 10);
  form.la.value = params.get('la') ?? '';
  form.to.value = params.get('to') ?? today;
  form.from.value = params.get('from') ?? mondayWeeksBefore(form.to.value, 11);
  form.granularity.value = params.get('granularity') ?? 'week';
}

/** @param {Record<string, string>} [extra] */
function filterQuery(extra = {}) {
  const query = new URLSearchParams({
    from: form.from.value,
    to: form.to.value,
    granularity: form.granularity.value,
    ...extra,
  });
  if (form.la.value) query.set('la', form.la.value);
  return query;
}

/** @param {Api} api */
async function show(api) {
  main.setAttribute('aria-busy', 'true');
  status.className = '';
  status.textContent = 'Reading the figures…';
  try {
    /** @type {Aggregates} */
    const result = await (await api(`/aggregates?${filterQuery({ metric: metricsShown.join(',') })}`)).json();
    render(result);
    const area = form.la.selectedOptions[0]?.textContent ?? '';
    status.textContent = `Showing ${area.toLowerCase()}, ${result.from} to ${result.to}, by ${result.granularity}.`;
  } catch (error) {
    status.className = 'error';
    status.textContent = error instanceof Error ? error.message : String(error);
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

/** @param {Aggregates} result */
function render(result) {
  const total = (/** @type {string} */ name) => result.totals[name];
  const periods = result.periods.map((p) => p.period);
  const series = (/** @type {string} */ name) => result.periods.map((p) => p.values[name].value);

  /** @type {Tile[]} */
  const tiles = [
    ['Releases', count(total('releases.total'))],
    ['Unplanned', share(total('releases.unplanned.rate'))],
    ...shares.map(([name, label]) => /** @type {Tile} */ ([label, share(total(name))])),
    [
      'Alerts acknowledged',
      `${shown(total('alerts.acknowledged'))} of ${shown(total('alerts.raised'))}`,
      meanMinutes(total('alerts.ackMinutes.mean')),
    ],
  ];
  headline(tiles);

  chart(
    'releases',
    {
      type: 'bar',
      data: {
        labels: periods,
        datasets: [
          { label: 'Planned', data: series('releases.planned'), backgroundColor: colours[0] },
          { label: 'Unplanned', data: series('releases.unplanned'), backgroundColor: colours[3] },
        ],
      },
      options: {
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: 'releases' },
          },
        },
      },
    },
    table(
      `Releases by ${result.granularity}`,
      ['Period', 'Planned', 'Unplanned', 'Total'],
      result.periods.map((p) => [
        p.period,
        shown(p.values['releases.planned']),
        shown(p.values['releases.unplanned']),
        shown(p.values['releases.total']),
      ]),
    ),
  );

  chart(
    'shares',
    {
      type: 'bar',
      data: {
        labels: periods,
        datasets: shares.map(([name, label], i) => ({
          label,
          data: series(name),
          backgroundColor: colours[i],
        })),
      },
      options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '% of releases' } } } },
    },
    table(
      `Share of releases by ${result.granularity}`,
      ['Period', ...shares.map(([, label]) => label)],
      result.periods.map((p) => [p.period, ...shares.map(([name]) => shareWithCounts(p.values[name]))]),
    ),
  );

  const ack = buckets.map(([bucket, label]) => [label, shown(total(`alerts.ackWithin.${bucket}`))]);
  chart(
    'ack',
    {
      type: 'bar',
      data: {
        labels: ack.map(([label]) => label),
        datasets: [
          { label: 'Alerts acknowledged', data: ack.map(([, n]) => n), backgroundColor: colours[2] },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'alerts' } },
        },
      },
    },
    table('Alerts by time to acknowledge', ['Time to acknowledge', 'Alerts'], ack),
  );

  const needs = pathwayList.map(([code, label]) => [label, shown(total(`releases.need.${code}`))]);
  chart(
    'needs',
    {
      type: 'bar',
      data: {
        labels: needs.map(([label]) => label),
        datasets: [
          { label: 'Releases with this need', data: needs.map(([, n]) => n), backgroundColor: colours[0] },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    table('Releases with each need', ['Need', 'Releases'], needs),
  );

  renderPairs(total);

  const accommodation = checkpoints.map(([prefix, label]) => [
    label,
    ...statuses.map(([code]) => shown(total(`${prefix}${code}`))),
  ]);
  chart(
    'accommodation',
    {
      type: 'bar',
      data: {
        labels: checkpoints.map(([, label]) => label),
        datasets: statuses.map(([, label], i) => ({
          label,
          data: accommodation.map((row) => row[i + 1]),
          backgroundColor: colours[i],
        })),
      },
      options: {
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: 'people' },
          },
        },
      },
    },
    table('People by accommodation status', ['When', ...statuses.map(([, label]) => label)], accommodation),
  );
}

/** The co-occurrence heatmap: cell (a, b) is releases with both needs; (a, a) is releases with need a. */
/** @param {(name: string) => Figure} total */
function renderPairs(total) {
  const short = pathwayList.map(([code, label]) => [code, label.split(',')[0]]);
  // A count is never null (only a rate or a mean with nothing to divide by is).
  const cell = (/** @type {string} */ a, /** @type {string} */ b) =>
    /** @type {number} */ (
      a === b
        ? total(`releases.need.${a}`).value
        : total(`releases.needPair.${[a, b].sort().join('+')}`).value
    );
  const data = short.flatMap(([a, la]) => short.map(([b, lb]) => ({ x: lb, y: la, v: cell(a, b) })));
  const max = Math.max(1, ...data.map((d) => d.v));
  chart(
    'pairs',
    {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'Releases with both needs',
            data,
            backgroundColor: (/** @type {{ raw: PairCell }} */ { raw }) =>
              `rgba(0, 114, 178, ${raw.v === 0 ? 0.04 : 0.2 + (0.8 * raw.v) / max})`,
            borderColor: '#b1b4b6',
            borderWidth: 1,
            width: (/** @type {ScriptableContext} */ { chart: c }) =>
              (c.chartArea || { width: NaN }).width / short.length - 2,
            height: (/** @type {ScriptableContext} */ { chart: c }) =>
              (c.chartArea || { height: NaN }).height / short.length - 2,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (/** @type {{ raw: PairCell }} */ { raw }) => `${raw.y} + ${raw.x}: ${raw.v}`,
            },
          },
        },
        scales: {
          x: { type: 'category', labels: short.map(([, l]) => l), offset: true, grid: { display: false } },
          y: {
            type: 'category',
            labels: short.map(([, l]) => l).reverse(),
            offset: true,
            grid: { display: false },
          },
        },
      },
      plugins: [cellNumbers],
    },
    table(
      'Releases with both needs',
      ['', ...short.map(([, l]) => l)],
      short.map(([a, la]) => [la, ...short.map(([b]) => cell(a, b))]),
    ),
  );
}

/** Writes each heatmap cell's count in it, so the figure can be read without hovering. */
const cellNumbers = {
  id: 'cellNumbers',
  /** @param {import('chart.js').Chart<'matrix', PairCell[]>} c */
  afterDatasetsDraw(c) {
    const { ctx } = c;
    const meta = c.getDatasetMeta(0);
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `600 13px ${Chart.defaults.font.family}`;
    meta.data.forEach((cell, i) => {
      const { v } = c.data.datasets[0].data[i];
      const { x, y, width, height } = cell.getProps(['x', 'y', 'width', 'height']);
      ctx.fillStyle =
        v / Math.max(1, ...c.data.datasets[0].data.map((d) => d.v)) > 0.5 ? '#ffffff' : '#0b0c0c';
      ctx.fillText(String(v), x + width / 2, y + height / 2);
    });
    ctx.restore();
  },
};

const charts = new Map();

/** Draws a chart, describes it for screen readers, and puts the same figures in its table. */
/**
 * @param {string} id
 * @param {any} config a Chart.js configuration (a bar chart, or the matrix of chartjs-chart-matrix)
 * @param {Table} rows
 */
function chart(id, config, rows) {
  charts.get(id)?.destroy();
  charts.set(
    id,
    new Chart(/** @type {HTMLCanvasElement} */ ($(`${id}-chart`)), {
      ...config,
      options: { maintainAspectRatio: false, responsive: true, ...config.options },
    }),
  );
  const [caption, header, body] = rows;
  $(`${id}-chart`).setAttribute(
    'aria-label',
    `${caption}. ${body.map((row) => row.map(String).join(': ')).join('; ')}.`,
  );
  const tableElement = /** @type {HTMLTableElement} */ ($(`${id}-table`));
  tableElement.replaceChildren();
  tableElement.createCaption().textContent = caption;
  const headRow = tableElement.createTHead().insertRow();
  for (const text of header)
    headRow.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: text }));
  const tbody = tableElement.createTBody();
  for (const row of body) {
    const tr = tbody.insertRow();
    row.forEach((value, i) => {
      tr.append(
        Object.assign(
          document.createElement(i === 0 ? 'th' : 'td'),
          i === 0 ? { scope: 'row', textContent: value } : { textContent: value ?? '–' },
        ),
      );
    });
  }
}

/** @param {string} caption @param {string[]} header @param {Table[2]} body @returns {Table} */
function table(caption, header, body) {
  return [caption, header, body];
}

/** @param {Tile[]} tiles */
function headline(tiles) {
  const list = $('headline');
  list.replaceChildren();
  for (const [label, value, note] of tiles) {
    const div = document.createElement('div');
    const dd = Object.assign(document.createElement('dd'), {
      textContent: typeof value === 'string' ? value : value.text,
    });
    const small = note ?? (typeof value === 'string' ? undefined : value.note);
    if (small) dd.append(Object.assign(document.createElement('small'), { textContent: small }));
    div.append(Object.assign(document.createElement('dt'), { textContent: label }), dd);
    list.append(div);
  }
}

// Small cells (1 to 4) arrive suppressed: the API says "fewer than 5" instead of the number (issue 15, 6).
const shown = (/** @type {Figure} */ v) => v.suppressed ?? v.value;
const count = (/** @type {Figure} */ v) => ({ text: String(shown(v)) });
const share = (/** @type {Figure} */ v) =>
  v.suppressed
    ? { text: v.suppressed }
    : { text: v.value === null ? '–' : `${v.value}%`, note: `${v.numerator} of ${v.denominator} releases` };
const shareWithCounts = (/** @type {Figure} */ v) =>
  v.suppressed
    ? v.suppressed
    : v.value === null
      ? '– (0 of 0)'
      : `${v.value}% (${v.numerator} of ${v.denominator})`;
const meanMinutes = (/** @type {Figure} */ v) =>
  v.suppressed
    ? `mean time: ${v.suppressed} acknowledged`
    : v.value === null
      ? 'none acknowledged yet'
      : `mean ${v.value} minutes to acknowledge`;

/** @param {string} date @param {number} weeks */
function mondayWeeksBefore(date, weeks) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7 * weeks);
  return d.toISOString().slice(0, 10);
}

/** @param {Api} api */
async function download(api) {
  const response = await api(`/aggregates/export.csv?${filterQuery()}`);
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(await response.blob()),
    download: `gatehouse-${form.from.value}-to-${form.to.value}-${form.granularity.value}.csv`,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}

/** @param {Config} config @param {string | undefined} token @param {string} path */
async function fetchFromApi(config, token, path) {
  const response = await fetch(
    `${config.apiUrl}${path}`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  if (response.status === 401 && config.auth) {
    sessionStorage.removeItem('gatehouse.token');
    await signIn(config.auth);
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(
      `The figures could not be read: ${body.invalid?.map((/** @type {{ path: string, expected: string }} */ e) => `${e.path}: expected ${e.expected}`).join('; ') ?? body.error ?? `HTTP ${response.status}`}`,
    );
  }
  return response;
}

// Sign-in: Cognito hosted UI, authorization code with PKCE (no client secret in the page). The token is kept
// for this tab only (sessionStorage) and until it expires.
/** @param {SignIn} auth @returns {Promise<string>} */
async function signIn(auth) {
  const kept = JSON.parse(sessionStorage.getItem('gatehouse.token') ?? 'null');
  if (kept && kept.expiresAt > Date.now() + 60_000) return kept.accessToken;
  const params = new URLSearchParams(location.search);
  if (params.has('code') && params.get('state') === sessionStorage.getItem('gatehouse.state')) {
    const response = await fetch(`${auth.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: auth.clientId,
        code: /** @type {string} */ (params.get('code')),
        redirect_uri: auth.redirectUri,
        code_verifier: /** @type {string} */ (sessionStorage.getItem('gatehouse.verifier')),
      }),
    });
    if (!response.ok)
      throw new Error(`Sign-in failed (HTTP ${response.status}); reload the page to try again.`);
    const tokens = await response.json();
    sessionStorage.setItem(
      'gatehouse.token',
      JSON.stringify({ accessToken: tokens.access_token, expiresAt: Date.now() + tokens.expires_in * 1000 }),
    );
    history.replaceState(
      null,
      '',
      `${location.pathname}${sessionStorage.getItem('gatehouse.filters') ?? ''}`,
    );
    return tokens.access_token;
  }
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(48)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem('gatehouse.verifier', verifier);
  sessionStorage.setItem('gatehouse.state', state);
  sessionStorage.setItem('gatehouse.filters', location.search);
  location.assign(
    `${auth.domain}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: auth.clientId,
      redirect_uri: auth.redirectUri,
      scope: auth.scopes.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`,
  );
  return new Promise(() => {}); // the page is leaving for the sign-in page
}

/** @param {Uint8Array} bytes */
function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

start().catch((error) => {
  status.className = 'error';
  status.textContent = `The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`;
  main.setAttribute('aria-busy', 'false');
});
