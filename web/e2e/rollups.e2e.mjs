// The district officer's walk through the rollups overview (issue 10):
// the overview with the seeded region's figures, a number opened onto its
// rows, the milestones card against its figure, a CSV export read back and counted, an xlsx export whose row count and capacity and resident totals read back equal the figure,
// the same page on a 390 px phone,
// and a startup member who sees none of it.
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/rollups.e2e.mjs
import fs from 'node:fs';
import { api, assert, byTestId, context, log, page, run, shot, signIn, signOut, step, textOf, waitUntil } from './lib.mjs';
import { firstSheetRows } from './xlsx.mjs';

const DISTRICT = process.env.E2E_DISTRICT || 'district@lixia.demo';
const FOUNDER = process.env.E2E_FOUNDER || 'founder@lixia.demo';
const CARRIER = process.env.E2E_CARRIER || '明湖国际信创产业园';

/** parseCSV reads RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCSV(text) {
  const records = [];
  let rec = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      rec.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      rec.push(field);
      records.push(rec);
      rec = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || rec.length > 0) {
    rec.push(field);
    records.push(rec);
  }
  return records;
}

const count = (s) => Number(String(s).replace(/[^\d.]/g, ''));

let regionId = '';
let overviewUrl = '';
let carriers = 0;

await run(`rollups e2e as ${DISTRICT}`, async () => {
  await step(`sign in as ${DISTRICT} and find the overview in the menu`, async () => {
    await signIn(DISTRICT);
    const link = page.locator(byTestId('menu-rollups'));
    await link.waitFor({ state: 'visible' });
    const href = await link.getAttribute('href');
    const m = /^\/regions\/([^/]+)\/overview$/.exec(href || '');
    assert(m, `the overview entry links to ${href}`);
    regionId = m[1];
    // The figures follow the services' events: wait until the seeded carriers have arrived.
    carriers = await waitUntil('the seeded carriers in the rollups', async () => {
      const fig = await api('GET', `/api/v1/regions/${regionId}/rollups/carriers`);
      return fig.total.carriers > 0 ? fig.total.carriers : 0;
    });
    log(`  the region has ${carriers} carriers in the rollups`);
  });

  await step('the overview shows the seeded region\'s figures', async () => {
    await page.locator(byTestId('menu-rollups')).click();
    await page.locator(byTestId('rollup-overview')).waitFor({ state: 'visible' });
    overviewUrl = page.url();
    const kpi = page.locator(byTestId('kpi-carriers-value'));
    await kpi.waitFor({ state: 'visible' });
    const shown = await waitUntil('a non-zero carriers figure', async () => {
      const n = count(await textOf(kpi));
      return n > 0 ? n : 0;
    });
    assert(shown === carriers, `the carriers card shows ${shown}, the API says ${carriers}`);
    for (const id of ['funnel-card', 'ladder-card', 'trends-card', 'reports-card', 'carrier-table', 'milestones-card', 'conflicts-card']) {
      await page.locator(byTestId(id)).waitFor({ state: 'visible' });
    }
    // The milestones card's total is the figure's, its headings in words.
    const planned = (await api('GET', `/api/v1/regions/${regionId}/rollups/milestones`)).total.planned;
    await waitUntil(`the milestones card to show ${planned} planned`, async () => count(await textOf(page.locator(byTestId('milestones-total-planned')))) === planned);
    const ms = await textOf(page.locator(byTestId('milestones-card')));
    assert(ms.includes('已核验') && ms.includes('已豁免') && !ms.includes('verified'), `the milestones card reads "${ms}"`);
    log(`  milestones due this year: ${planned} planned`);
    // The comparison lists the seeded carriers by name, and the ladder its rungs in words.
    await waitUntil('the comparison table', async () => (await textOf(page.locator(byTestId('carrier-table')))).includes(CARRIER));
    const ladder = await textOf(page.locator(byTestId('ladder-table')));
    assert(ladder.includes('高新技术企业') && !ladder.includes('high_tech'), `the ladder reads "${ladder}"`);
    await page.locator(`${byTestId('trends-chart')} canvas`).first().waitFor({ state: 'visible' });
    await shot('rollups-01-overview');
  });

  await step('a number opens the rows behind it', async () => {
    await page.locator(byTestId('kpi-carriers-value')).click();
    const drawer = page.locator(byTestId('rows-drawer'));
    await drawer.waitFor({ state: 'visible' });
    const total = await waitUntil('the rows total', async () => {
      const t = await page.locator(byTestId('rows-total')).textContent().catch(() => '');
      return t ? count(t) : 0;
    });
    assert(total === carriers, `the rows count ${total}, the figure ${carriers}`);
    await waitUntil('the carrier among the rows', async () => (await textOf(page.locator(byTestId('rows-table')))).includes(CARRIER));
    await shot('rollups-02-rows');
  });

  await step('the rows export as CSV with progress, and the file holds them all', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId('rows-export-csv')).click()]);
    const result = page.locator(byTestId('rows-export-result'));
    await result.waitFor({ state: 'visible' });
    const said = await textOf(result);
    assert(said.startsWith('已导出'), `the export says "${said}"`);
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    assert(text.charCodeAt(0) === 0xfeff, 'the CSV starts with a BOM');
    const records = parseCSV(text.slice(1)).filter((r) => r.some((c) => c !== ''));
    const header = records.findIndex((r) => r.length > 1);
    assert(header >= 0, 'the CSV has a header row');
    assert(/[\u4e00-\u9fff]/.test(records[header].join('')), `Chinese headers: ${records[header].join(',')}`);
    const rows = records.slice(header + 1);
    assert(rows.length === carriers, `the CSV holds ${rows.length} carriers, the figure ${carriers}`);
    assert(rows.some((r) => r.includes(CARRIER)), `the CSV lists ${CARRIER}`);
    log(`  ${download.suggestedFilename()}: ${rows.length} rows, ${said}`);
    await page.keyboard.press('Escape');
  });

  await step('the rows export as xlsx, and its totals read back equal the figure', async () => {
    const figure = await api('GET', `/api/v1/regions/${regionId}/rollups/carriers`);
    await page.locator(byTestId('kpi-carriers-value')).click();
    await page.locator(byTestId('rows-drawer')).waitFor({ state: 'visible' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId('rows-export-xlsx')).click()]);
    const rows = firstSheetRows(fs.readFileSync(await download.path()));
    const header = rows.findIndex((r) => r.includes('容量（家）'));
    assert(header >= 0, `the sheet has a header row with 容量（家）: ${JSON.stringify(rows.slice(0, 6))}`);
    const meta = rows.slice(0, header).map((r) => r.join(' ')).join(' / ');
    assert(meta.includes('筛选条件') && meta.includes('单位'), `the sheet states its filters and units above the table: ${meta}`);
    const col = (name) => rows[header].indexOf(name);
    const data = rows.slice(header + 1).filter((r) => (r[0] || '') !== '');
    const sum = (name) => data.reduce((a, r) => a + Number(r[col(name)] || 0), 0);
    assert(data.length === figure.total.carriers, `the xlsx holds ${data.length} carriers, the figure ${figure.total.carriers}`);
    assert(sum('容量（家）') === figure.total.capacity, `the xlsx capacities sum to ${sum('容量（家）')}, the figure says ${figure.total.capacity}`);
    assert(sum('在孵企业（家）') === figure.total.residents, `the xlsx residents sum to ${sum('在孵企业（家）')}, the figure says ${figure.total.residents}`);
    log(`  ${download.suggestedFilename()}: ${data.length} carriers, capacity ${figure.total.capacity}, residents ${figure.total.residents}`);
    await page.keyboard.press('Escape');
  });

  await step('on a 390 px phone the cards stack and nothing overflows the page', async () => {
    const mobile = await context.newPage();
    try {
      await mobile.setViewportSize({ width: 390, height: 844 });
      await mobile.goto(overviewUrl, { waitUntil: 'domcontentloaded' });
      await mobile.locator(byTestId('kpi-carriers-value')).waitFor({ state: 'visible' });
      await mobile.locator(byTestId('carrier-table')).waitFor({ state: 'visible' });
      const a = await mobile.locator(byTestId('kpi-carriers')).boundingBox();
      const b = await mobile.locator(byTestId('kpi-in_residence')).boundingBox();
      assert(a && b && b.y > a.y && Math.abs(a.x - b.x) < 2, `cards stack: ${JSON.stringify([a, b])}`);
      const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 391, `the page is ${width} px wide on a 390 px screen`);
      await shot('rollups-03-mobile', mobile);
    } finally {
      await mobile.close();
    }
  });

  await step(`a startup member (${FOUNDER}) sees none of it`, async () => {
    await signOut();
    await signIn(FOUNDER);
    assert((await page.locator(byTestId('menu-rollups')).count()) === 0, 'no overview in the menu');
    assert((await page.locator(byTestId('menu-rollups-park')).count()) === 0, 'no carrier overview in the menu');
    const refused = await api('GET', `/api/v1/regions/${regionId}/rollups/carriers`).then(
      () => '',
      (e) => String(e.message),
    );
    assert(/: 40[34] /.test(refused), `the figures are refused: "${refused}"`);
  });
});
