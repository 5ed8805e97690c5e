// Browser tests of the evaluation pages and the review metrics page (issues 14 and 15): fairness,
// performance and drift recorded by a monitoring run on the credit_data decisions of tests/data
// (and a drifted copy), a second fairness evaluation for the trend; decisions under a review policy,
// two of them reviewed in the browser. Each page's numbers must equal the API's JSON (and, where the
// test can count them itself from the CSV, those counts); every chart is an inline SVG with a title
// and a description; axe on every page; no content-security-policy report.
//   AIMS=build/aims node tests/web/evaluations.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AIMS, ok, store, serve, checker, signIn, finish } from './lib/harness.mjs';

const { aims, dir, db } = store('evals');
const check = checker('evals-');
const DATA = path.resolve('tests/data/credit_data_decisions.csv');

// the data: the decisions, a copy with Age shifted by 15 years (drift), the first 800 rows (a second fairness result)
const lines = fs.readFileSync(DATA, 'utf8').trim().split('\n');
const head = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(','));
const col = (name) => head.indexOf(name);
fs.copyFileSync(DATA, path.join(dir, 'cur.csv'));
fs.writeFileSync(path.join(dir, 'ref.csv'), [lines[0], ...rows.map((r) => r.map((v, i) => (i === col('Age') ? String(Number(v) + 15) : v)).join(','))].join('\n') + '\n');
fs.writeFileSync(path.join(dir, 'half.csv'), lines.slice(0, 801).join('\n') + '\n');

aims('init', '--org', 'Eval Web Test');
const pw = {};
for (const [u, role] of [['alice', 'compliance-manager'], ['erin', 'reviewer'], ['bob', 'risk-owner']])
  pw[u] = JSON.parse(aims('user', 'add', u, '--role', role, '--json')).initial_password;
aims('system', 'add', 'credit', '--purpose', 'credit scoring');
aims('monitor', 'plan', 'add', 'credit-files', '--system', 'credit', '--every', 'day', '--evaluation', 'fairness',
  '--evaluation', 'performance', '--evaluation', 'drift', '--data', path.join(dir, 'cur.csv'), '--reference', path.join(dir, 'ref.csv'),
  '--label', 'y_true', '--pred', 'y_pred', '--score', 'y_score', '--group', 'Marital', '--column', 'Age', '--column', 'y_score');
const run = JSON.parse(aims('monitor', 'run', '--json')).runs[0].result.evaluations;
const second = JSON.parse(aims('eval', 'fairness', '--data', path.join(dir, 'half.csv'), '--label', 'y_true', '--pred', 'y_pred',
  '--score', 'y_score', '--group', 'Marital', '--system', 'credit', '--record', '--json')).evaluation_id;

// a ledger key signs the decision log's checkpoints
execFileSync(AIMS, ['ledger', 'keygen', '--name', 'evals.example/aims', '--out', path.join(dir, 'ledger.key')], { stdio: 'ignore' });
aims('ledger', 'setup', '--key', path.join(dir, 'ledger.key'));
fs.writeFileSync(path.join(dir, 'm.bin'), 'weights\n');
aims('model', 'register', 'credit@1', '--file', path.join(dir, 'm.bin'));
// ten decisions under a policy that reviews those below 0.6 confidence: three are selected
fs.writeFileSync(path.join(dir, 'policy.yaml'), 'policy: credit-oversight\napplies_to:\n  systems: [credit]\nreview:\n  confidence_below: 0.6\n');
aims('policy', 'set', path.join(dir, 'policy.yaml'));
const conf = [0.4, 0.9, 0.55, 0.95, 0.8, 0.3, 0.7, 0.99, 0.85, 0.65];
fs.writeFileSync(path.join(dir, 'd.ndjson'), conf.map((c, i) => JSON.stringify({
  time: i < 5 ? '2026-11-01T09:00:00Z' : '2026-11-03T09:00:00Z', model: 'credit@1',
  input_digest: 'sha256:' + (500 + i).toString(16).padStart(64, '0'), output: { decision: c > 0.5 ? 'grant' : 'refuse', n: i },
  confidence: c, ...(i % 2 ? { explanation: { text: 'income and history' } } : {}),
})).join('\n') + '\n');
ok(JSON.parse(aims('decision', 'ingest', '--system', 'credit', path.join(dir, 'd.ndjson'), '--json')).selected_for_review === 3,
  'three of the ten decisions are selected for review');

const srv = await serve(db, dir);
const { BASE, browser } = srv;
const f4 = (v) => (typeof v === 'number' ? v.toFixed(4) : 'n/a');
const cells = async (page, sel) => page.locator(sel).evaluateAll((els) => els.map((e) => e.textContent.trim()));

// an inline SVG chart with its text alternative: role img, labelled by its own title and description
async function chart(page, id, what, descHas) {
  const svg = page.locator(`svg#${id}`);
  ok(await svg.count() === 1 && await svg.getAttribute('role') === 'img' &&
     await svg.getAttribute('aria-labelledby') === `${id}-t ${id}-d`, `${what}: an inline SVG chart labelled by its title and description`);
  const title = await svg.locator('title').textContent(), desc = await svg.locator('desc').textContent();
  const missing = descHas.filter((s) => !desc.includes(s));
  ok(title.length > 0 && missing.length === 0, `${what}: the chart's text alternative states its numbers`, `${title} | ${desc} | missing ${missing}`);
  return svg;
}

try {
  const ctxA = await browser.newContext();
  const a = await signIn(BASE, ctxA, 'alice', pw.alice);
  const api = async (p) => (await ctxA.request.get(BASE + '/api/v1' + p)).json();

  // ---- the list links each evaluation to its page ----
  await a.goto(BASE + '/evaluations');
  await a.locator('#list').getByRole('link', { name: run.fairness }).click();
  await a.waitForURL(BASE + '/evaluations/' + run.fairness);
  ok(await a.getByRole('heading', { level: 1 }).textContent() === `Evaluation ${run.fairness}`, 'the evaluations list links to the evaluation page');

  // ---- fairness: the disparity figures, the rates and the disparate impact per group, against the API and the CSV ----
  const fair = await api('/evaluations/' + run.fairness);
  const attr = fair.results.sensitive[0];
  ok(await a.locator('#eval-kind').textContent() === 'fairness' && await a.locator('#eval-summary').textContent() === fair.summary,
    'the page shows the record: kind and summary as in the API');
  const aggKeys = await a.locator('#aggregates-0 td').evaluateAll((els) => els.map((e) => e.dataset.key));
  const aggVals = await cells(a, '#aggregates-0 td');
  ok(aggKeys.length === 6 && aggKeys.every((k, i) => aggVals[i] === f4(attr[k])), 'the six disparity figures equal the API JSON',
    aggKeys.map((k, i) => `${k} ${aggVals[i]} vs ${attr[k]}`).join('\n'));
  const groupRows = await a.locator('#groups-0 tbody tr').all();
  ok(groupRows.length === attr.groups.length && attr.groups.length === 5, 'one table row per group of Marital (5)', groupRows.length);
  let same = true, detail = '';
  for (const [i, g] of attr.groups.entries()) {
    const r = groupRows[i];
    const name = (await r.locator('th').textContent()).trim();
    const vals = await r.locator('td[data-key]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.key, e.textContent.trim()])));
    for (const k of ['selection_rate', 'tpr', 'fpr', 'tnr', 'fnr', 'precision', 'accuracy', 'disparate_impact'])
      if (vals[k] !== f4(g[k])) { same = false; detail += `${g.group} ${k}: page ${vals[k]}, API ${g[k]}\n`; }
    if (name !== g.group || vals.n !== String(g.n)) { same = false; detail += `${name} n ${vals.n} vs ${g.group} ${g.n}\n`; }
  }
  ok(same, 'every figure per group equals the API JSON', detail);
  // the selection rate and size of each group counted here from the CSV
  const counted = {};
  for (const r of rows) {
    const g = r[col('Marital')];
    counted[g] = counted[g] || { n: 0, sel: 0 };
    counted[g].n++;
    counted[g].sel += r[col('y_pred')] === '1' ? 1 : 0;
  }
  const pageSel = await a.locator('#groups-0 tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(),
    tr.querySelector('td[data-key=n]').textContent, tr.querySelector('td[data-key=selection_rate]').textContent]));
  ok(pageSel.every(([g, nn, s]) => counted[g] && Number(nn) === counted[g].n && s === (counted[g].sel / counted[g].n).toFixed(4)),
    'group sizes and selection rates equal those counted from the CSV', JSON.stringify({ pageSel, counted }));
  await chart(a, 'chart-rates-0', 'rates per group', attr.groups.map((g) => `${g.group}: selection rate ${f4(g.selection_rate)}`));
  const impact = await chart(a, 'chart-impact-0', 'disparate impact', attr.groups.map((g) => `${g.group} ${f4(g.disparate_impact)}`));
  const outside = attr.groups.filter((g) => g.four_fifths === false).length;
  ok(outside > 0 && await impact.locator('rect[stroke-dasharray]').count() === outside &&
     await impact.locator('line[stroke-dasharray]').count() === 2 &&
     (await impact.locator('text[font-weight="700"]').allTextContents()).join(' ') === '0.8 1.25',
  'the impact chart draws the four-fifths lines 0.8 and 1.25 and marks the groups outside', outside);
  ok((await a.locator('#flags').textContent()).includes(fair.results.flags[0]), 'the flags of the result are listed');
  ok(await a.locator('#trend').count() === 1, 'with two fairness evaluations of the system the page shows a trend');
  await check(a, 'evaluation fairness');

  // ---- the trend: the second fairness evaluation, the same figure over both ----
  await a.goto(BASE + '/evaluations/' + second);
  const trendVals = await cells(a, '#trend td[data-key=value]');
  const want = [];
  for (const id of [run.fairness, second]) want.push(f4((await api('/evaluations/' + id)).results.sensitive[0].demographic_parity_ratio));
  ok(trendVals.length === 2 && trendVals.join() === want.join() && want[0] !== want[1],
    'the trend lists demographic_parity_ratio of both evaluations as in the API', `${trendVals} vs ${want}`);
  const trendSvg = await chart(a, 'chart-trend', 'the trend', [`${run.fairness} ${want[0]}`, `${second} ${want[1]}`]);
  ok(await trendSvg.locator('circle').count() === 2, 'the trend chart has one point per evaluation');
  await check(a, 'evaluation trend');
  await a.locator('#trend').getByRole('link', { name: run.fairness }).click();
  await a.waitForURL(BASE + '/evaluations/' + run.fairness);

  // ---- performance: figures, confusion matrix (also counted from the CSV), ROC and calibration ----
  await a.goto(BASE + '/evaluations/' + run.performance);
  const perf = (await api('/evaluations/' + run.performance)).results;
  const kpi = await a.locator('#kpis td').evaluateAll((els) => els.map((e) => [e.dataset.key, e.textContent.trim()]));
  ok(kpi.length === 8 && kpi.every(([k, v]) => v === f4(perf[k])), 'the performance figures equal the API JSON', JSON.stringify(kpi));
  const cm = await a.locator('#confusion td[data-key]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.key, Number(e.textContent)])));
  const mine = { tn: 0, fp: 0, fn: 0, tp: 0 };
  for (const r of rows) mine[(r[col('y_true')] === '1' ? (r[col('y_pred')] === '1' ? 'tp' : 'fn') : (r[col('y_pred')] === '1' ? 'fp' : 'tn'))]++;
  ok(Object.keys(cm).length === 4 && ['tn', 'fp', 'fn', 'tp'].every((k) => cm[k] === perf.confusion_matrix[k] && cm[k] === mine[k]),
    'the confusion matrix equals the API JSON and the counts from the CSV', JSON.stringify({ cm, api: perf.confusion_matrix, mine }));
  const roc = await chart(a, 'chart-roc', 'ROC curve', [`area under the curve ${f4(perf.roc_auc)}`, `${perf.roc_curve.length} points`]);
  ok((await roc.locator('polyline').getAttribute('points')).trim().split(/\s+/).length === perf.roc_curve.length &&
     await a.locator('#roc-points tbody tr').count() === perf.roc_curve.length, 'the ROC curve and its table have every point of the API');
  await chart(a, 'chart-calibration', 'calibration curve', [`expected calibration error ${f4(perf.ece)}`]);
  const calib = await a.locator('#calibration tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  ok(calib.length === perf.calibration.length && calib.every((c, i) => Number(c[2]) === perf.calibration[i].n &&
     c[4] === f4(perf.calibration[i].fraction_positive)), 'the calibration bins equal the API JSON');
  await check(a, 'evaluation performance');

  // ---- drift: PSI per column against its threshold, the tests' statistics ----
  await a.goto(BASE + '/evaluations/' + run.drift);
  const drift = (await api('/evaluations/' + run.drift)).results;
  const dcols = await a.locator('#drift-columns tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector('th').textContent, psi: tr.querySelector('[data-key=psi]').textContent,
    stat: tr.querySelector('[data-key=statistic]').textContent, drift: tr.querySelector('[data-key=drift]').textContent })));
  ok(dcols.length === 2 && dcols.every((c, i) => c.name === drift.columns[i].name && c.psi === f4(drift.columns[i].statistics.psi) &&
     c.stat === f4(drift.columns[i].statistics.ks_statistic) && c.drift === (drift.columns[i].drift ? 'drift' : 'no drift')),
  'PSI, KS statistic and verdict per column equal the API JSON', JSON.stringify({ dcols, api: drift.columns }));
  ok(dcols.find((c) => c.name === 'Age').drift === 'drift' && dcols.find((c) => c.name === 'y_score').drift === 'no drift',
    'the shifted Age drifted, the unchanged score did not');
  ok(await a.locator('#dataset-drift').textContent() === (drift.dataset_drift ? 'yes' : 'no'), 'the dataset verdict as in the API');
  const psi = await chart(a, 'chart-psi', 'PSI per column', drift.columns.map((c) => `${c.name} ${f4(c.statistics.psi)}`));
  ok(await psi.locator('text[font-weight="700"]').textContent() === String(drift.thresholds.psi) &&
     await psi.locator('rect[stroke-dasharray]').count() === drift.columns.filter((c) => c.statistics.psi >= drift.thresholds.psi).length,
  'the PSI chart draws the threshold and marks the columns at or above it');
  await check(a, 'evaluation drift');
  const none = await a.goto(BASE + '/evaluations/EVAL-9999');
  ok(none.status() === 404, 'an unknown evaluation: 404', none.status());

  // ---- the system page links to the evaluation pages and to the review metrics ----
  await a.goto(BASE + '/systems/credit');
  ok(await a.getByRole('table', { name: 'Evaluation results of this system' }).getByRole('link', { name: run.drift }).getAttribute('href') ===
     '/evaluations/' + run.drift, 'the system page links each evaluation to its page');
  await a.getByRole('link', { name: 'Review metrics' }).click();
  await a.waitForURL(BASE + '/systems/credit/review-metrics');
  ok(await a.getByRole('heading', { level: 1 }).textContent() === 'Review metrics of credit', 'the system page links to its review metrics');
  ok(a.cspErrors.length === 0, 'no content-security-policy violations on the evaluation pages', a.cspErrors.join('\n'));

  // ---- erin reviews two of the three selected decisions: overrides one, accepts one ----
  const ctxE = await browser.newContext();
  const e = await signIn(BASE, ctxE, 'erin', pw.erin);
  await e.goto(BASE + '/reviews');
  ok(await e.locator('#metrics-links').getByRole('link', { name: 'credit' }).getAttribute('href') === '/systems/credit/review-metrics',
    '/reviews links each AI system to its review metrics');
  await e.getByRole('button', { name: 'Take the next decision' }).click();
  await e.getByLabel(/^Human outcome/).fill('{"decision": "refuse"}');
  await e.getByLabel('Reason', { exact: true }).fill('income not verified');
  await e.getByRole('button', { name: 'Override the AI\'s decision' }).click();
  await e.goto(BASE + '/reviews');
  await e.getByRole('button', { name: 'Take the next decision' }).click();
  await e.getByRole('button', { name: 'Accept the AI\'s decision' }).click();
  ok(/^accept by erin/.test(await e.locator('#review-action').textContent()), 'the reviewer reviewed two decisions');
  await e.goto(BASE + '/systems/credit/review-metrics');
  ok(await e.getByRole('button', { name: 'Record the review metrics' }).count() === 0, 'a reviewer is not offered recording the metrics');
  await ctxE.close();

  // ---- the review metrics: every figure equals the API; coverage and override rate as the test made them ----
  const metricsOf = async (page) => page.locator('#metrics td').evaluateAll((els) => Object.fromEntries(els.map((x) => [x.dataset.key, x.textContent])));
  // counts as integers; shares with 4 decimals and as a percentage; the median time (a real) with 4 decimals
  const shares = ['share_reviewed', 'override_rate', 'explanation_share'];
  const asShown = (k, v) => (v === null ? 'n/a' : shares.includes(k) ? `${v.toFixed(4)} (${(v * 100).toFixed(1)}%)`
    : k === 'median_time_to_review_seconds' ? v.toFixed(4) : String(v));
  const compare = (shown, m) => Object.keys(shown).filter((k) => shown[k] !== asShown(k, m[k]))
    .map((k) => `${k}: page ${shown[k]}, API ${m[k]}`);
  await a.reload();
  let m = await api('/systems/credit/review-metrics');
  let shown = await metricsOf(a);
  ok(Object.keys(shown).length === 15 && compare(shown, m).length === 0, 'the 15 review figures equal the API JSON', compare(shown, m).join('\n'));
  ok(shown.decisions === '10' && shown.selected === '3' && shown.reviewed === '2' && shown.overrides === '1' && shown.backlog === '1' &&
     shown.share_reviewed === '0.2000 (20.0%)' && shown.override_rate === '0.5000 (50.0%)' && shown.explanation_share === '0.5000 (50.0%)',
  'coverage 2 of 10, override rate 1 of 2, backlog 1, explanations 5 of 10', JSON.stringify(shown));
  await chart(a, 'chart-shares', 'coverage and override rate', ['coverage) 0.2000', 'reviewed) 0.5000']);
  await check(a, 'review metrics');

  // a period: the decisions of 3 November only
  await a.getByLabel('From (RFC 3339, optional)').fill('2026-11-02T00:00:00Z');
  await a.getByRole('button', { name: 'Show' }).click();
  m = await api('/systems/credit/review-metrics?since=2026-11-02T00:00:00Z');
  shown = await metricsOf(a);
  ok(shown.decisions === '5' && compare(shown, m).length === 0 && await a.locator('#period-since').textContent() === '2026-11-02T00:00:00Z',
    'the metrics of a period equal the API for the same period (5 decisions)', compare(shown, m).join('\n') + JSON.stringify(shown));
  await a.getByLabel('From (RFC 3339, optional)').fill('yesterday');
  await a.getByRole('button', { name: 'Show' }).click();
  ok((await a.locator('#error-message').textContent()).includes('since') && (await a.title()).startsWith('Not done'),
    'a period that is not a date-time is refused naming the field');

  // recorded as evidence by a compliance manager: listed with its digest on the page and on /reviews
  await a.goto(BASE + '/systems/credit/review-metrics');
  await a.getByRole('button', { name: 'Record the review metrics' }).click();
  await a.locator('#reports tbody tr').first().waitFor();
  const reports = (await api('/oversight-reports?system=credit')).reports;
  ok(reports.length === 1 && (await a.locator('#reports').textContent()).includes(reports[0].id) &&
     (await a.locator('#reports').textContent()).includes(reports[0].digest), 'the recorded report is listed on the metrics page with its digest',
  JSON.stringify(reports));
  await check(a, 'review metrics recorded');
  await a.goto(BASE + '/reviews');
  ok((await a.locator('#reports').textContent()).includes(reports[0].id), 'and on /reviews');
  ok(a.cspErrors.length === 0, 'no content-security-policy violations on the review metrics pages', a.cspErrors.join('\n'));

  // bob (risk owner) may read the metrics but is refused recording them
  const ctxB = await browser.newContext();
  const b = await signIn(BASE, ctxB, 'bob', pw.bob);
  await b.goto(BASE + '/systems/credit/review-metrics');
  const bcsrf = await b.locator('input[name=csrf]').first().inputValue();
  const refused = await ctxB.request.post(BASE + '/systems/credit/review-metrics', { form: { csrf: bcsrf } });
  ok(refused.status() === 403 && /review\.report/.test(await refused.text()), 'a risk owner is refused recording the metrics (403)', refused.status());
  await ctxB.close();
  await ctxA.close();
} catch (err) {
  ok(false, 'the browser test ran to its end', err.stack);
} finally {
  await srv.stop();
}
ok(!/AddressSanitizer|runtime error|LeakSanitizer/.test(srv.log), 'the server reported no sanitizer error', srv.log);
finish(dir);
