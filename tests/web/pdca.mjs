// Browser tests of the PDCA record pages of the web UI (issues 14 and 16): an incident, a
// nonconformity, a corrective action and an internal audit each on a page of its own with its
// actions as forms; management reviews and monitoring plans with their lists and pages. Debian's
// chromium driven by playwright-core against a real `aims serve` on a store of its own, as
// tests/web/ui.mjs does. Prints TAP; exit 1 on any failure.
//   AIMS=build/aims node tests/web/pdca.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AIMS, ok, finish, store, serve, checker, signIn as signInTo } from './lib/harness.mjs';

const { dir, db, aims } = store('web-pdca');

// the store: accounts, an AI system with two months of decisions (February drifted from January),
// a monthly drift plan against January that opens an incident on a breach, a serious incident
aims('init', '--org', 'Web PDCA GmbH');
const pw = {};
for (const [u, role] of [['alice', 'compliance-manager'], ['bob', 'risk-owner'], ['erin', 'reviewer'], ['dave', 'auditor'],
  ['frank', 'auditor']])
  pw[u] = JSON.parse(aims('user', 'add', u, '--role', role, '--json')).initial_password;
execFileSync(AIMS, ['ledger', 'keygen', '--name', 'web.example/aims', '--out', path.join(dir, 'ledger.key')],
  { stdio: ['ignore', 'ignore', 'ignore'] });
aims('ledger', 'setup', '--key', path.join(dir, 'ledger.key'));
aims('system', 'add', 'credit', '--purpose', 'credit scoring', '--owner', 'bob', '--role', 'provider');
fs.writeFileSync(path.join(dir, 'm.bin'), 'weights\n');
aims('model', 'register', 'credit@1', '--file', path.join(dir, 'm.bin'));
const dec = [];
for (const [month, lo] of [[1, 0.2], [2, 0.6]])
  for (let i = 0; i < 150; i++)
    dec.push(JSON.stringify({ time: `2026-0${month}-${String(1 + (i % 27)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`,
      model: 'credit@1', input_digest: 'sha256:' + 'a'.repeat(64), output: { approve: i % 2 === 0 }, confidence: lo + (i % 50) / 250 }));
fs.writeFileSync(path.join(dir, 'dec.ndjson'), dec.join('\n') + '\n');
aims('decision', 'ingest', '--system', 'credit', path.join(dir, 'dec.ndjson'));
aims('monitor', 'plan', 'add', 'credit-monthly', '--system', 'credit', '--every', 'month', '--ref-since', '2026-01-01T00:00:00Z',
  '--ref-until', '2026-02-01T00:00:00Z', '--column', 'confidence', '--owner', 'bob', '--incident');
aims('incident', 'open', 'credit', '--title', 'Refusals without reason', '--harm', 'fundamental-rights', '--severity', 'high',
  '--serious', '--description', 'applicants were refused without a reason given');
aims('audit', 'plan', '--title', 'Monitoring of credit', '--period', '2026-Q4', '--auditor', 'dave', '--requirement', '9.1',
  '--system', 'credit');

const srv = await serve(db, dir);
const { BASE, browser } = srv;
const axe = checker('pdca-');

async function check(page, name) {
  await axe(page, name);
  ok(page.cspErrors.length === 0, `${name} runs without CSP violations`, page.cspErrors.join('\n'));
}

const signIn = async (user) => signInTo(BASE, await browser.newContext(), user, pw[user]);

const text = async (page, sel) => (await page.locator(sel).textContent()).trim();
// a form post as the signed-in page's session, with its CSRF token (what a crafted form would send)
async function postAs(page, url, form) {
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  return page.context().request.post(BASE + url, { form: { csrf, ...form }, maxRedirects: 0 });
}

try {
  // ---- monitoring plans: the list, the plan, a run of February from its page ----
  const a = await signIn('alice');
  await a.getByRole('link', { name: 'Monitoring plans' }).click();
  await a.waitForURL(BASE + '/monitoring/plans');
  ok((await text(a, '#list')).includes('credit-monthly'), '/monitoring/plans lists the plan');
  await check(a, 'monitoring-plans');
  const plansCsv = await a.context().request.get(BASE + '/monitoring/plans?format=csv');
  ok(plansCsv.status() === 200 && (await plansCsv.text()).split('\n')[1].startsWith('credit-monthly,credit,month'),
    'the plans download as CSV', await plansCsv.text());
  await a.locator('#list').getByRole('link', { name: 'credit-monthly' }).click();
  await a.waitForURL(BASE + '/monitoring/plans/credit-monthly');
  ok(await text(a, '#plan-status') === 'active' && (await text(a, 'main')).includes('Nothing to show'),
    'the plan page shows the plan, active, without runs yet');
  await a.getByLabel(/Past period/).fill('2026-02');
  await a.getByRole('button', { name: 'Run plan' }).click();
  await a.waitForURL(BASE + '/monitoring/plans/credit-monthly');
  const runRow = await text(a, '#list tbody tr');
  ok(runRow.includes('2026-02') && runRow.includes('breach') && runRow.includes('NC-001') && runRow.includes('INC-002'),
    'running February from the plan page records a breach with its nonconformity and incident', runRow);
  const ev = await a.locator('#list tbody tr').getByRole('link', { name: /^EVAL-/ }).getAttribute('href');
  ok(/^\/api\/v1\/evaluations\/EVAL-\d+\?format=html$/.test(ev), 'the run links its drift evaluation', ev);
  await check(a, 'monitoring-plan');
  const planApi = await a.context().request.get(BASE + '/api/v1/monitoring-plans/credit-monthly');
  ok(planApi.status() === 200 && (await planApi.json()).system === 'credit', 'the plan page links its JSON in the API');

  // ---- an incident: update, report, close ----
  await a.goto(BASE + '/incidents');
  await a.locator('#list').getByRole('link', { name: 'INC-002' }).click();
  await a.waitForURL(BASE + '/incidents/INC-002');
  ok((await text(a, '#incident-description')).includes('Opened by a monitoring run'), 'the incidents list links the incident page');
  ok(await a.getByRole('link', { name: 'JSON' }).getAttribute('href') === '/api/v1/incidents/INC-002', 'the incident page links its JSON');
  const inc = await a.context().request.get(BASE + '/api/v1/incidents/INC-002');
  ok(inc.status() === 200 && (await inc.json()).evidence.startsWith('evaluation:EVAL-'), 'the JSON is the incident\'s');
  // the serious incident opened with the CLI: its Art. 73 deadline
  await a.goto(BASE + '/incidents/INC-001');
  const deadline = await text(a, '#incident-deadline');
  const want = JSON.parse(aims('incident', 'show', 'INC-001', '--json')).deadline;
  ok(deadline.startsWith(want) && deadline.includes('open') && /\d+ hours left/.test(deadline),
    'a serious incident shows its Art. 73 reporting deadline, open, with the hours left', deadline);
  ok(await a.getByRole('link', { name: 'Ledger history' }).getAttribute('href') === '/ledger?object=INC-001',
    'the incident page links its ledger history');
  await check(a, 'incident');
  // a form made before someone else changed the incident is refused (it carries the ETag it was made from)
  aims('incident', 'update', 'INC-001', '--note', 'authority asked for the logs');
  await a.getByLabel('Severity').selectOption('low');
  const stale = a.waitForResponse((r) => r.url().endsWith('/incidents/INC-001/update'));
  await a.getByRole('button', { name: 'Update incident' }).click();
  ok((await stale).status() === 412 && JSON.parse(aims('incident', 'show', 'INC-001', '--json')).severity === 'high',
    'an update from a form older than the incident is refused (412) and changes nothing', await text(a, 'main'));
  await a.goto(BASE + '/incidents/INC-001');
  await a.getByLabel('Severity').selectOption('critical');
  await a.getByLabel('Note for the history').fill('applicants informed');
  await a.getByRole('button', { name: 'Update incident' }).click();
  await a.waitForURL(BASE + '/incidents/INC-001');
  ok(await text(a, '#incident-severity') === 'critical' && (await text(a, '#notes')).includes('applicants informed (alice'),
    'the update form changes the severity and adds a note');
  await a.getByLabel('Sent to').selectOption('market-surveillance-authority');
  await a.getByLabel("Recipient's name").fill('Marktüberwachung');
  await a.getByLabel('Reference').fill('MSA-2026-17');
  await a.getByRole('button', { name: 'Record report' }).click();
  await a.waitForURL(BASE + '/incidents/INC-001');
  ok(await text(a, '#incident-status') === 'reported' && (await text(a, '#reports')).includes('MSA-2026-17') &&
     (await text(a, '#incident-deadline')).includes('met'), 'recording the report marks the incident reported, the deadline met');
  await a.getByLabel('How it was resolved').fill('model rolled back');
  await a.getByRole('button', { name: 'Close incident' }).click();
  await a.waitForURL(BASE + '/incidents/INC-001');
  ok(await text(a, '#incident-status') === 'closed' && (await a.getByRole('button', { name: 'Close incident' }).count()) === 0,
    'the incident is closed and offers no more actions');
  ok(JSON.parse(aims('incident', 'show', 'INC-001', '--json')).closure === 'model rolled back', 'the library recorded the closing note');
  await a.getByRole('link', { name: 'Ledger history' }).click();
  await a.waitForURL(BASE + '/ledger?object=INC-001');
  const hist = await a.locator('#history tbody tr').allTextContents();
  ok(hist.length === 5 && hist.filter((r) => r.includes('alice')).length === 3,
    'the ledger history of the incident has its opening, the update made with the CLI and alice\'s update, report and close', hist.join(' | '));

  // ---- the nonconformity the run opened: root cause, a corrective action ----
  await a.goto(BASE + '/nonconformities');
  await a.locator('#list').getByRole('link', { name: 'NC-001' }).click();
  await a.waitForURL(BASE + '/nonconformities/NC-001');
  ok(await a.getByRole('link', { name: 'credit-monthly/2026-02' }).getAttribute('href') === '/monitoring/plans/credit-monthly',
    'the nonconformity links the monitoring plan it came from');
  await a.getByLabel('Root cause found').fill('the applicant population changed in February');
  await a.getByRole('button', { name: 'Record root cause' }).click();
  await a.waitForURL(BASE + '/nonconformities/NC-001');
  ok(await text(a, '#nc-status') === 'analysed' && (await text(a, '#nc-root-cause')).startsWith('the applicant population changed'),
    'recording the root cause marks the nonconformity analysed');
  await check(a, 'nonconformity');
  await a.getByLabel('Corrective action').fill('retrain on the new population');
  await a.getByLabel('Owner (empty: you)').fill('bob');
  await a.getByLabel('Due (YYYY-MM-DD)').fill('2099-01-31');
  await a.getByRole('button', { name: 'Add corrective action' }).click();
  await a.waitForURL(BASE + '/corrective-actions/CA-001');
  ok(await text(a, '#ca-status') === 'open', 'adding a corrective action leads to its page');

  // ---- the corrective action: close refused before its effectiveness review; done, reviewed, closed ----
  await a.getByRole('button', { name: 'Close corrective action' }).click();
  ok((await text(a, '#error-message')).includes('only after an effectiveness review found it effective'),
    'closing before an effectiveness review shows the library\'s refusal', await text(a, 'main'));
  await check(a, 'refused');
  await a.goto(BASE + '/corrective-actions/CA-001');
  await a.getByLabel('What was done').fill('model retrained on March data');
  await a.getByRole('button', { name: 'Report action done' }).click();
  await a.waitForURL(BASE + '/corrective-actions/CA-001');
  ok(await text(a, '#ca-status') === 'done', 'the action is reported done');
  await check(a, 'corrective-action');
  await a.getByLabel('Result').selectOption('effective');
  await a.getByLabel('How the effectiveness was judged').fill('March run within thresholds');
  await a.getByRole('button', { name: 'Record review' }).click();
  await a.waitForURL(BASE + '/corrective-actions/CA-001');
  ok(await text(a, '#ca-status') === 'effective' && (await text(a, '#ca-review')).startsWith('effective (alice'),
    'the effectiveness review by another account than the owner is recorded');
  await a.getByRole('button', { name: 'Close corrective action' }).click();
  await a.waitForURL(BASE + '/corrective-actions/CA-001');
  ok(await text(a, '#ca-status') === 'closed', 'the reviewed action closes');
  await a.getByRole('link', { name: 'NC-001' }).click();
  await a.getByLabel('Closing note').fill('retrained; monitoring continues');
  await a.getByRole('button', { name: 'Close nonconformity' }).click();
  await a.waitForURL(BASE + '/nonconformities/NC-001');
  ok(await text(a, '#nc-status') === 'closed' && (await text(a, '#actions')).includes('closed'),
    'the nonconformity closes once its actions are closed');

  // ---- management review: recorded, submitted; approved by another account ----
  await a.getByRole('link', { name: 'Management review' }).click();
  await a.waitForURL(BASE + '/management-reviews');
  await a.getByLabel('Period reviewed').fill('2026-Q1');
  await a.getByLabel(/Decisions and actions/).fill('- Restore drift monitoring of credit monthly.\n- Budget for retraining.');
  await a.getByRole('button', { name: 'Record management review' }).click();
  await a.waitForURL(BASE + '/management-reviews/management-review-2026-q1');
  ok(await text(a, '#review-status') === 'draft' && (await text(a, '#review-body')).includes('Restore drift monitoring of credit monthly'),
    'a recorded management review shows its decisions, as a draft');
  await a.getByRole('button', { name: 'Submit for approval' }).click();
  await a.waitForURL(BASE + '/management-reviews/management-review-2026-q1');
  ok(await text(a, '#review-status') === 'in-review' &&
     (await a.getByRole('button', { name: 'Approve management review' }).count()) === 0,
    'submitted; its author is not offered the approval');
  await check(a, 'management-review');
  const selfApprove = await postAs(a, '/management-reviews/management-review-2026-q1/approve', {});
  ok(selfApprove.status() >= 400 && /author/i.test(await selfApprove.text()), 'its author approving is refused by the library',
    selfApprove.status());
  const b = await signIn('bob');
  await b.goto(BASE + '/management-reviews');
  ok((await text(b, '#list')).includes('management-review-2026-q1'), '/management-reviews lists the review');
  await check(b, 'management-reviews');
  await b.locator('#list').getByRole('link', { name: 'management-review-2026-q1' }).click();
  await b.getByRole('button', { name: 'Approve management review' }).click();
  await b.waitForURL(BASE + '/management-reviews/management-review-2026-q1');
  ok(await text(b, '#review-status') === 'approved', 'another account approves the management review');
  await b.goto(BASE + '/management-reviews');
  await b.getByLabel(/^Period \(2026/).fill('2026-Q1');
  await b.getByRole('button', { name: 'Open review pack' }).click();
  ok((await text(b, 'h1')) === 'Management review pack', 'the review pack of a period opens from the list');

  // ---- an internal audit: its auditor records a finding; another auditor and a reviewer are refused ----
  const d = await signIn('dave');
  await d.goto(BASE + '/audits');
  await d.locator('#list').getByRole('link', { name: 'AUD-001' }).click();
  await d.waitForURL(BASE + '/audits/AUD-001');
  await d.getByLabel('Kind').selectOption('nonconformity');
  await d.getByLabel('Requirement').fill('9.1');
  await d.getByLabel('Finding', { exact: true }).fill('no fairness evaluation of credit in 2026');
  await d.getByLabel('its owner').fill('bob');
  await d.getByLabel('due (YYYY-MM-DD)').fill('2099-03-31');
  await d.getByRole('button', { name: 'Record finding' }).click();
  await d.waitForURL(BASE + '/audits/AUD-001');
  const finding = await text(d, '#findings tbody tr');
  ok(finding.includes('F-001') && finding.includes('nonconformity') && finding.includes('NC-002') &&
     await text(d, '#audit-status') === 'in-progress', 'the auditor records a nonconformity finding, which opens NC-002', finding);
  await check(d, 'audit');
  await d.locator('#findings').getByRole('link', { name: 'NC-002' }).click();
  await d.waitForURL(BASE + '/nonconformities/NC-002');
  ok(await d.getByRole('link', { name: 'AUD-001/F-001' }).getAttribute('href') === '/audits/AUD-001',
    'the nonconformity of a finding links back to its audit');
  const f = await signIn('frank');
  await f.goto(BASE + '/audits/AUD-001');
  ok(await f.getByRole('button', { name: 'Record finding' }).count() === 0, 'another auditor is not offered the finding form');
  const other = await postAs(f, '/audits/AUD-001/finding', { kind: 'observation', text: 'not mine to say' });
  ok(other.status() === 403 && (await other.text()).includes('only its auditor dave'),
    'another auditor posting a finding is refused by the library (403)', other.status());
  const e = await signIn('erin');
  await e.goto(BASE + '/incidents/INC-002');
  ok(await e.getByRole('button', { name: 'Close incident' }).count() === 0, 'a reviewer is not offered the incident forms');
  const refused = await postAs(e, '/incidents/INC-002/close', { note: 'not allowed' });
  ok(refused.status() === 403, 'a reviewer closing an incident is refused (403)', refused.status());
  await e.goto(BASE + '/incidents/INC-002');
  ok(await text(e, '#incident-status') === 'open', 'the refused close changed nothing');
  await check(e, 'incident-reviewer');

  // ---- the plan retired from its page ----
  await a.goto(BASE + '/monitoring/plans/credit-monthly');
  await a.getByRole('button', { name: 'Retire plan' }).click();
  await a.waitForURL(BASE + '/monitoring/plans/credit-monthly');
  ok(await text(a, '#plan-status') === 'retired' && (await a.getByRole('button', { name: 'Run plan' }).count()) === 0,
    'a retired plan offers no run');
  const nf = await a.goto(BASE + '/corrective-actions/CA-999');
  ok(nf.status() === 404, 'an unknown corrective action is 404');
  await check(a, 'not-found');
} catch (err) {
  ok(false, 'the browser test ran to its end', err.stack);
} finally {
  await srv.stop();
}
// under AddressSanitizer (make BUILD=build/asan SAN=1 web-test) the server reports memory errors and leaks here
ok(!/AddressSanitizer|LeakSanitizer|runtime error/.test(srv.log), 'the server reported no memory error, leak or undefined behaviour',
  srv.log.split('\n').slice(0, 40).join('\n'));
finish(dir);
