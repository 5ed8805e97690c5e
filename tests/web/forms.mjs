// Browser tests of the guided forms of the web UI (issue 14): the EU AI Act classification on
// /aiact/{system} and the impact assessment on /assessments, against a real `aims serve`. The
// answers saved are those the command line reads: the test compares them with `aims aiact show`
// and `aims assess show`. Prints TAP; exit 1 on any failure.
//   AIMS=build/aims node tests/web/forms.mjs
import fs from 'node:fs';
import path from 'node:path';
import { ok, start } from './lib/harness.mjs';

const t = await start('forms', [['alice', 'compliance-manager'], ['bob', 'risk-owner'], ['erin', 'reviewer']]);
const { aims, BASE } = t;
aims('system', 'add', 'chatbot', '--purpose', 'answer customer questions', '--owner', 'alice');

// the answers of examples/aiact-credit-score.yaml, as form values
const credit = Object.fromEntries(fs.readFileSync(path.resolve('examples/aiact-credit-score.yaml'), 'utf8').split('\n')
  .filter((l) => /^[a-z_0-9]+:/.test(l)).map((l) => { const [k, v] = l.split('#')[0].split(':'); return [k.trim(), v.trim()]; }));

// answer one question of the classification form: a radio button or an option of a list
async function answer(page, key, value) {
  const radio = page.locator(`input[type=radio][name="${key}"][value="${value}"]`);
  if (await radio.count()) await radio.check();
  else await page.locator(`select[name="${key}"]`).selectOption(value);
}

try {
  // ---- alice (compliance manager): the questions of a system not classified yet ----
  const a = await t.signIn('alice');
  const r0 = await a.goto(BASE + '/aiact/chatbot');
  ok(r0.status() === 200 && (await a.locator('main').textContent()).includes('not classified yet'),
    'an unclassified system shows its classification page with the questions', r0.status());
  const asked = await a.locator('#classify input[type=radio], #classify select').evaluateAll(
    (els) => [...new Set(els.map((e) => e.name))]);
  const fileKeys = Object.keys(credit);
  ok(fileKeys.length === 21 && fileKeys.every((k) => asked.includes(k)) && asked.length === fileKeys.length,
    'the form asks exactly the keys of an answers file, one question each', `${asked.join(',')} vs ${fileKeys.join(',')}`);
  ok(await a.locator('#q-annex_iii_area').textContent().then((s) => s.includes('Art. 6(2), Annex III')) &&
     await a.locator('#q-role').textContent().then((s) => s.includes('Art. 25(1)')),
  'each question names the article it decides and explains it');
  await t.check(a, 'aiact-questions');

  // nothing answered: every question is named as missing, nothing stored
  await a.getByRole('button', { name: 'Classify' }).click();
  const missing = await a.locator('#classify-errors li').count();
  ok(missing === 21 && (await a.locator('#q-profiling .bad').textContent()).includes('missing answer'),
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
  await t.check(a, 'aiact-refused-answer');

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
  await t.check(a, 'aiact-classified');

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
  const b = await t.signIn('bob');
  await b.goto(BASE + '/aiact/chatbot');
  ok(await b.locator('#classify').count() === 0 && (await b.locator('#answers').textContent()).includes('interacts_with_natural_persons'),
    'a role without aiact.manage sees the answers, not the form');
  await t.check(b, 'aiact-read-only');
  const bcsrf = await b.locator('input[name=csrf]').first().inputValue();
  const forced = await b.context().request.post(BASE + '/aiact/chatbot/classify', { form: { csrf: bcsrf, ...credit } });
  ok(forced.status() === 403 && /aiact\.manage/.test(await forced.text()), 'a role without aiact.manage is refused the classification (403)',
    forced.status());
  ok(JSON.parse(aims('aiact', 'show', 'chatbot', '--json')).version === 2, 'the refused post stored nothing');
  await b.context().close();
  await a.context().close();
} catch (e) {
  ok(false, 'the browser test ran to its end', e.stack);
} finally {
  await t.finish();
}
