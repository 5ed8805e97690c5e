// Browser tests of the guided forms of the web UI (issue 14): the EU AI Act classification on
// /aiact/{system} and the impact assessment on /assessments, against a real `aims serve`. The
// answers saved are those the command line reads: the test compares them with `aims aiact show`
// and `aims assess show`. Prints TAP; exit 1 on any failure.
//   AIMS=build/aims node tests/web/forms.mjs
import fs from 'node:fs';
import path from 'node:path';
import { ok, finish, store, serve, checker, signIn } from './lib/harness.mjs';

const { dir, db, aims } = store('web-forms');
aims('init', '--org', 'Web Test GmbH');
const pw = {};
for (const [u, role] of [['alice', 'compliance-manager'], ['bob', 'risk-owner'], ['erin', 'reviewer']])
  pw[u] = JSON.parse(aims('user', 'add', u, '--role', role, '--json')).initial_password;
const s = await serve(db, dir);
const BASE = s.BASE;
const check = checker('forms-');
const login = async (user) => signIn(BASE, await s.browser.newContext(), user, pw[user]);
aims('system', 'add', 'chatbot', '--purpose', 'answer customer questions', '--owner', 'alice');

// the answers of examples/aiact-credit-score.yaml, as form values
const credit = Object.fromEntries(fs.readFileSync(path.resolve('examples/aiact-credit-score.yaml'), 'utf8').split('\n')
  .filter((l) => /^[a-z_0-9]+:/.test(l)).map((l) => { const [k, v] = l.split('#')[0].split(':'); return [k.trim(), v.trim()]; }));

// JSON with keys sorted (the store keeps answers canonical), for comparing
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x));

// answer one question of the classification form: a radio button or an option of a list
async function answer(page, key, value) {
  const radio = page.locator(`input[type=radio][name="${key}"][value="${value}"]`);
  if (await radio.count()) await radio.check();
  else await page.locator(`select[name="${key}"]`).selectOption(value);
}

try {
  // ---- alice (compliance manager): the questions of a system not classified yet ----
  const a = await login('alice');
  const r0 = await a.goto(BASE + '/aiact/chatbot');
  ok(r0.status() === 200 && (await a.locator('main').textContent()).includes('not classified yet'),
    'an unclassified system shows its classification page with the questions', r0.status());
  const asked = await a.locator('#classify input[type=radio], #classify select').evaluateAll(
    (els) => [...new Set(els.map((e) => e.name))]);
  const fileKeys = Object.keys(credit);
  ok(fileKeys.length === 22 && fileKeys.every((k) => asked.includes(k)) && asked.length === fileKeys.length,
    'the form asks exactly the keys of an answers file, one question each', `${asked.join(',')} vs ${fileKeys.join(',')}`);
  ok(await a.locator('#q-annex_iii_area').textContent().then((x) => x.includes('Art. 6(2), Annex III')) &&
     await a.locator('#q-role').textContent().then((x) => x.includes('Art. 25(1)')),
  'each question names the article it decides and explains it');
  await check(a, 'aiact-questions');

  // nothing answered: every question is named as missing, nothing stored
  await a.getByRole('button', { name: 'Classify' }).click();
  const missing = await a.locator('#classify-errors li').count();
  ok(missing === 22 && (await a.locator('#q-profiling .bad').textContent()).includes('missing answer'),
    'a form without answers names every missing question', missing);

  // a bad combination: systemic risk without a general-purpose AI model is refused at its question,
  // and the form keeps what was entered
  for (const [k, v] of Object.entries(credit)) await answer(a, k, v);
  await answer(a, 'systemic_risk', 'true');
  await a.getByRole('button', { name: 'Classify' }).click();
  const err = await a.locator('#q-systemic_risk .bad').textContent().catch(() => '');
  ok(/gpai is false/.test(err) && await a.locator('#classify-errors li').count() === 1,
    'a refused answer is shown at its question with the library\'s reason', err);
  ok(await a.locator('input[name=role][value=both]').isChecked() &&
     await a.locator('select[name=annex_iii_area]').inputValue() === '5(b)' &&
     await a.locator('input[name=systemic_risk][value=true]').isChecked(),
  'the refused form shows the answers entered');
  let cli = '';
  try { cli = aims('aiact', 'show', 'chatbot'); } catch (e) { cli = String(e.stderr); }
  ok(/no classification|not classified|no EU AI Act/i.test(cli), 'nothing was stored by the refused form', cli);
  await check(a, 'aiact-refused-answer');

  // the answers corrected by keyboard and labels: classified high-risk with its obligations
  await a.getByRole('group', { name: 'Does that model have systemic risk?' }).getByLabel('No').check();
  await a.getByRole('button', { name: 'Classify' }).click();
  await a.waitForURL(BASE + '/aiact/chatbot');
  ok(await a.locator('#tier').textContent() === 'high-risk', 'the form classifies the system high-risk (Annex III 5(b))');
  const obl1 = await a.getByRole('table', { name: /Obligations that result/ }).locator('tbody tr').allTextContents();
  const shown = JSON.parse(aims('aiact', 'show', 'chatbot', '--json'));
  const want = Object.fromEntries(Object.entries(credit).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]));
  ok(JSON.stringify(Object.keys(want).map((k) => [k, shown.answers[k]])) === JSON.stringify(Object.entries(want)) &&
     shown.version === 1 && shown.tier === 'high-risk',
  'the CLI reads the same answers the form wrote (version 1)', JSON.stringify(shown.answers));
  ok(obl1.length === shown.obligations.length && obl1.length > 10 && obl1.some((r) => r.includes('Article 9')),
    'the page lists the obligations of the classification', `${obl1.length} vs ${shown.obligations.length}`);
  ok(await a.locator('input[name=profiling][value=true]').isChecked() && await a.locator('select[name=annex_iii_area]').inputValue() === '5(b)',
    'the form is pre-filled with the current classification\'s answers');
  await check(a, 'aiact-classified');

  // a new answer set: a chatbot outside Annex III that talks to people is limited-risk; the obligations change
  await a.getByLabel('Is the system used in one of the areas of Annex III?').selectOption('none');
  await a.getByRole('group', { name: 'Does the system profile natural persons?' }).getByLabel('No').check();
  await a.getByRole('group', { name: /interact directly with people/ }).getByLabel('Yes').check();
  await a.getByRole('button', { name: 'Classify' }).click();
  await a.waitForURL(BASE + '/aiact/chatbot');
  const obl2 = await a.getByRole('table', { name: /Obligations that result/ }).locator('tbody tr').allTextContents();
  ok(await a.locator('#tier').textContent() === 'limited-risk' && obl2.length === 2 && obl2.some((r) => r.includes('Article 50(1)')),
    'after new answers the classification is limited-risk with the Art. 4 and 50(1) obligations', obl2.join(' | '));
  const v2 = JSON.parse(aims('aiact', 'show', 'chatbot', '--json'));
  ok(v2.version === 2 && v2.answers.interacts_with_natural_persons === true && v2.answers.annex_iii_area === 'none',
    'the CLI shows version 2 with the new answers', JSON.stringify(v2.answers));
  ok(a.cspErrors.length === 0, 'no content-security-policy violations on the forms', a.cspErrors.join('\n'));

  // ---- bob (risk owner, no aiact.manage): sees the answers, is not offered the form, is refused a post ----
  const b = await login('bob');
  await b.goto(BASE + '/aiact/chatbot');
  ok(await b.locator('#classify').count() === 0 && (await b.locator('#answers').textContent()).includes('interacts_with_natural_persons'),
    'a role without aiact.manage sees the answers, not the form');
  await check(b, 'aiact-read-only');
  const bcsrf = await b.locator('input[name=csrf]').first().inputValue();
  const forced = await b.context().request.post(BASE + '/aiact/chatbot/classify', { form: { csrf: bcsrf, ...credit } });
  ok(forced.status() === 403 && /aiact\.manage/.test(await forced.text()), 'a role without aiact.manage is refused the classification (403)',
    forced.status());
  ok(JSON.parse(aims('aiact', 'show', 'chatbot', '--json')).version === 2, 'the refused post stored nothing');

  // ---- impact assessments: alice fills the questionnaire from the list page ----
  await a.goto(BASE + '/assessments');
  await a.getByLabel('AI system').selectOption('chatbot');
  await a.getByRole('button', { name: 'Open the questionnaire' }).click();
  await a.waitForURL(BASE + '/assessments/new?system=chatbot');
  ok(await a.getByLabel('AI system assessed').inputValue() === 'chatbot' && await a.getByLabel('Intended use').inputValue() === '',
    'the questionnaire opens for the chosen system, empty before its first assessment');
  await check(a, 'assessment-questionnaire');
  await a.getByLabel('Intended use').fill('Answer questions of retail customers about loan terms');
  await a.getByLabel('Group 1', { exact: true }).fill('retail customers');
  await a.getByLabel('Description of group 1').fill('private persons asking about loans');
  await a.getByLabel('Group 1 vulnerable').selectOption('false');
  await a.getByLabel('Benefits, one a line').fill('answers at any hour\nthe same answer in every branch');
  await a.getByLabel('Harm 1', { exact: true }).fill('a customer is given wrong loan terms');
  await a.getByLabel('Who harm 1 affects').fill('retail customers');
  await a.getByLabel('Level of harm 1').selectOption('individual');
  await a.getByLabel('Reversibility of harm 1').selectOption('reversible');
  // "More rows" adds rows without saving and keeps what was entered
  await a.getByRole('button', { name: 'More rows' }).click();
  ok(await a.locator('fieldset[id^=g]').count() === 5 && await a.getByLabel('Group 1', { exact: true }).inputValue() === 'retail customers' &&
     await a.getByLabel('Harm 1', { exact: true }).inputValue() === 'a customer is given wrong loan terms',
  'More rows adds empty rows and keeps the answers entered', await a.locator('fieldset[id^=g]').count());
  await a.getByLabel('Group 2', { exact: true }).fill('customers with little German');
  await a.getByLabel('Group 2 vulnerable').selectOption('true');
  await a.getByLabel('Mitigations, one a line').fill('answers quote the loan contract\na person answers on request');
  await a.getByLabel('Human oversight').fill('The service team reviews a sample of answers every week.');
  // the severity of harm 1 is not answered: refused by the library at that field
  await a.getByRole('button', { name: 'Save as draft' }).click();
  const herr = await a.locator('#h0_severity-error').textContent().catch(() => '');
  ok(/missing answer/.test(herr) && (await a.locator('#assess-errors').textContent()).includes('Harm 1: severity'),
    'a missing severity is refused at the harm\'s severity field', herr);
  ok(await a.getByLabel('Group 2', { exact: true }).inputValue() === 'customers with little German' &&
     await a.getByLabel('Level of harm 1').inputValue() === 'individual', 'the refused questionnaire keeps the answers entered');
  ok(!JSON.parse(aims('assess', 'list', '--json')).assessments.length, 'nothing was stored by the refused questionnaire');
  await check(a, 'assessment-refused');
  await a.getByLabel('Severity of harm 1').selectOption('high');
  await a.getByRole('button', { name: 'Save as draft' }).click();
  await a.waitForURL(BASE + '/assessments/IA-001');
  ok(await a.locator('#assess-status').textContent() === 'draft' && await a.locator('#assess-author').textContent() === 'alice',
    'the questionnaire is stored as draft IA-001 by alice');
  const ia1 = JSON.parse(aims('assess', 'show', 'IA-001', '--json'));
  ok(canon(ia1.answers.affected_groups) === canon([
    { group: 'retail customers', description: 'private persons asking about loans', vulnerable: false },
    { group: 'customers with little German', vulnerable: true }]) &&
     JSON.stringify(ia1.answers.benefits) === JSON.stringify(['answers at any hour', 'the same answer in every branch']) &&
     canon(ia1.answers.harms) === canon([{ harm: 'a customer is given wrong loan terms', level: 'individual',
       affected: 'retail customers', severity: 'high', reversibility: 'reversible' }]) && JSON.stringify(ia1.answers.misuse) === '[]' &&
     ia1.system === 'chatbot' && ia1.version === 1,
  'the CLI reads the answers the questionnaire wrote', JSON.stringify(ia1.answers));
  ok(await a.getByRole('button', { name: 'Approve assessment' }).count() === 0, 'the author is not offered the approval');
  const acsrf = await a.locator('input[name=csrf]').first().inputValue();
  const own = await a.context().request.post(BASE + '/assessments/IA-001/approve', { form: { csrf: acsrf } });
  ok(own.status() === 403 && /four eyes/.test(await own.text()), 'the author is refused the approval (403, four eyes)', own.status());
  await check(a, 'assessment');
  // from the system page: the next version, pre-filled from the latest
  await a.goto(BASE + '/systems/chatbot');
  await a.getByRole('link', { name: 'Impact assessment questionnaire' }).click();
  ok(await a.getByLabel('Intended use').inputValue() === 'Answer questions of retail customers about loan terms' &&
     await a.getByLabel('Severity of harm 1').inputValue() === 'high' && await a.getByLabel('Group 2 vulnerable').inputValue() === 'true',
  'the questionnaire from the system page is pre-filled from the latest assessment');
  await a.getByLabel('Foreseeable misuse, one a line').fill('asking it for investment advice');
  await a.getByRole('button', { name: 'Save as draft' }).click();
  await a.waitForURL(BASE + '/assessments/IA-002');
  const ia2 = JSON.parse(aims('assess', 'show', 'IA-002', '--json'));
  ok(ia2.version === 2 && JSON.stringify(ia2.answers.misuse) === '["asking it for investment advice"]' &&
     JSON.stringify(ia2.answers.harms) === JSON.stringify(ia1.answers.harms), 'saving again stores version 2 with the change', JSON.stringify(ia2.answers));
  await a.goto(BASE + '/assessments');
  ok((await a.locator('#list').textContent()).includes('IA-002'), 'the assessments are listed');
  await check(a, 'assessments');

  // bob (risk owner) approves; erin (reviewer) may not record assessments
  await b.goto(BASE + '/assessments/IA-002');
  await b.getByRole('button', { name: 'Approve assessment' }).click();
  ok(await b.locator('#assess-status').textContent() === 'approved' && (await b.locator('#assess-approver').textContent()).startsWith('bob'),
    'another account approves the assessment');
  ok(JSON.parse(aims('assess', 'show', 'IA-002', '--json')).approver === 'bob', 'the CLI shows bob as the approver');
  const e = await login('erin');
  await e.goto(BASE + '/assessments');
  ok(await e.getByRole('button', { name: 'Open the questionnaire' }).count() === 0, 'a reviewer is not offered the questionnaire');
  const ecsrf = await e.locator('input[name=csrf]').first().inputValue();
  const eNew = await e.context().request.post(BASE + '/assessments/new', { form: { csrf: ecsrf, system: 'chatbot',
    intended_use: 'x', groups: '1', g0_group: 'x', benefits: 'x', harms: '1', h0_harm: 'x', h0_level: 'group', h0_affected: 'x',
    h0_severity: 'low', h0_reversibility: 'reversible', mitigations: 'x', human_oversight: 'x' } });
  ok(eNew.status() === 403 && /assess\.edit/.test(await eNew.text()), 'a reviewer is refused recording an assessment (403)', eNew.status());
  ok(JSON.parse(aims('assess', 'list', '--json')).assessments.length === 2, 'the refused post stored nothing');
  ok(a.cspErrors.length === 0 && b.cspErrors.length === 0, 'no content-security-policy violations on the questionnaire pages');
  await e.context().close();
  await b.context().close();
  await a.context().close();
} catch (e) {
  ok(false, 'the browser test ran to its end', e.stack);
} finally {
  await s.stop();
  // built with sanitizers (SAN=1) the server writes what it meets to standard error
  ok(!/Sanitizer|runtime error/.test(s.log), 'the server wrote no sanitizer finding', s.log.slice(0, 4000));
  finish(dir);
}
