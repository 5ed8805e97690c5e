// Browser tests of the web UI (issue 14): Debian's chromium driven by playwright-core against a
// real `aims serve` on 127.0.0.1, started here on a store of its own. Prints TAP; exit 1 on any
// failure. Screenshots of every page are kept in $AIMS_WEB_ARTIFACTS (default build/web).
//   AIMS=build/aims node tests/web/ui.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AIMS, ART, ok, finish, store, serve, checker, signIn as signInTo } from './lib/harness.mjs';

const { dir, db, aims } = store('web');

// the store: an organization, the ISMS of the examples, four accounts
aims('init', '--org', 'Web Test GmbH');
aims('isms', 'import', path.resolve('examples/isms-soa.csv'));
const pw = {};
for (const [u, role] of [['admin', 'admin'], ['alice', 'compliance-manager'], ['bob', 'risk-owner'], ['carol', 'risk-owner'],
  ['erin', 'reviewer']])
  pw[u] = JSON.parse(aims('user', 'add', u, '--role', role, '--json')).initial_password;

const srv = await serve(db, dir);
const { BASE, browser } = srv;
// every page: no serious or critical accessibility violations, a screenshot
const check = checker('');
const signIn = (ctx, user) => signInTo(BASE, ctx, user, pw[user]);

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(BASE + '/login');
}

try {
  // ---- signed out: the sign-in form, and a wrong password refused ----
  const ctx0 = await browser.newContext();
  const p0 = await ctx0.newPage();
  const r0 = await p0.goto(BASE + '/');
  ok(r0.status() === 200 && await p0.getByLabel('Password').isVisible(), '/ shows the sign-in form when signed out');
  const csp = r0.headers()['content-security-policy'] || '';
  ok(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), 'pages have a CSP without unsafe-inline', csp);
  await check(p0, 'login');
  await p0.goto(BASE + '/systems');
  ok(p0.url() === BASE + '/login', 'a page asked for while signed out leads to the sign-in form');
  await p0.getByLabel('Account').fill('alice');
  await p0.getByLabel('Password').fill('not the password');
  await p0.getByRole('button', { name: 'Sign in' }).click();
  ok(await p0.getByRole('alert').textContent().then((t) => /password/i.test(t)), 'a wrong password is refused with a message');
  // a form post without the session's CSRF token is refused
  const forged = await ctx0.request.post(BASE + '/systems', { form: { name: 'forged' }, maxRedirects: 0 });
  ok(forged.status() === 303 && forged.headers()['location'] === '/login', 'a post while signed out is sent to sign in');
  // a form of another site posting to the sign-in (login CSRF) is refused by its Origin
  const cross = await ctx0.request.post(BASE + '/login', { form: { user: 'alice', password: pw.alice },
    headers: { Origin: 'http://evil.example' }, maxRedirects: 0 });
  ok(cross.status() === 403 && !cross.headers()['set-cookie'], 'a sign-in form posted from another origin is refused (403)', cross.status());
  await ctx0.close();

  // ---- alice (compliance manager): dashboard, add a system, gap analysis, draft and submit a policy ----
  const ctxA = await browser.newContext();
  const a = await signIn(ctxA, 'alice');
  ok(/^\d{1,3}%$/.test(await a.locator('#readiness').textContent()), 'the dashboard shows the readiness as a whole percentage',
    await a.locator('#readiness').textContent());
  const clauseRows = await a.getByRole('table', { name: 'Coverage by clause' }).locator('tbody tr').allTextContents();
  ok(clauseRows.length === 7 && clauseRows[0].includes('Context of the organization') && clauseRows[6].startsWith('10'),
    'the dashboard lists clauses 4 to 10 one a row', clauseRows.join(' | '));
  ok(await a.getByRole('table', { name: 'Coverage by clause' }).isVisible() &&
     await a.getByRole('table', { name: 'Coverage by Annex A group' }).isVisible(), 'the dashboard shows coverage by clause and by Annex A group');
  ok((await a.locator('#checkpoints').textContent()).includes('No signed checkpoint yet'),
    'before the ledger signs a checkpoint the dashboard says there is none');
  await check(a, 'dashboard');
  const noCsrf = await ctxA.request.post(BASE + '/systems', { form: { name: 'forged' } });
  ok(noCsrf.status() === 403, 'a form post without the CSRF token is refused (403)', noCsrf.status());

  await a.getByRole('link', { name: 'AI systems' }).click();
  await a.getByLabel('Name (A-Z a-z 0-9 . _ -)').fill('chatbot');
  await a.getByLabel('Purpose').fill('answer customer questions');
  await a.getByLabel('Owner').fill('alice');
  await a.getByLabel('Life cycle').selectOption('development');
  await a.getByRole('button', { name: 'Add system' }).click();
  await a.waitForURL(BASE + '/systems/chatbot');
  ok(await a.getByRole('heading', { level: 1 }).textContent() === 'chatbot', 'adding a system leads to its page');
  await check(a, 'system');
  const sysJson = await ctxA.request.get(BASE + '/api/v1/systems/chatbot');
  ok(sysJson.status() === 200 && (await sysJson.json()).purpose === 'answer customer questions', 'the system page links to the same object in the API');
  await a.goto(BASE + '/systems');
  ok(await a.locator('#list').getByRole('link', { name: 'chatbot' }).isVisible(), 'the new system is in the inventory list');
  await check(a, 'systems');
  const csv = await ctxA.request.get(BASE + '/systems?format=csv');
  ok(csv.status() === 200 && /^Name,Purpose/.test(await csv.text()) && (await csv.text()).includes('chatbot'), 'the list downloads as CSV');

  await a.getByRole('link', { name: 'Gap analysis' }).click();
  const before = await a.locator('#readiness').textContent();
  ok(/^\d+%$/.test(before), 'the gap analysis runs and shows the readiness', before);
  await a.getByLabel('Filter').fill('A.6.2');
  await a.getByRole('button', { name: 'Apply' }).click();
  const shown = await a.locator('#list tbody tr').count();
  ok(shown > 0 && shown < 20 && (await a.locator('#list tbody').textContent()).includes('A.6.2'), 'the gap list filters on the server', shown);
  await check(a, 'gap');

  await a.goto(BASE + '/soa');
  await check(a, 'soa');
  await a.getByRole('link', { name: 'A.6.2.4', exact: true }).click();
  await a.getByLabel('Owner').fill('Head of ML');
  await a.getByLabel('Justification').fill('models are verified before release');
  await a.getByRole('button', { name: 'Save' }).click();
  ok((await a.locator('dl').textContent()).includes('Head of ML'), 'the SoA entry is edited by a compliance manager');
  await check(a, 'soa-control');

  await a.goto(BASE + '/documents');
  await a.getByLabel('Type (starts from its template)').selectOption('ai-policy');
  await a.getByLabel('Id (letters, digits, \'-\'; optional)').fill('ai-policy');
  await a.getByLabel('Owner').fill('CISO');
  await a.getByRole('button', { name: 'Create draft' }).click();
  await a.waitForURL(BASE + '/documents/ai-policy');
  ok(await a.locator('#doc-status').textContent() === 'draft', 'a policy is drafted from its template');
  const body = await a.getByLabel('Text (Markdown)').inputValue();
  await a.getByLabel('Text (Markdown)').fill(body + '\n\n## Review\n\nThe board reviews this policy every year.\n');
  await a.getByRole('button', { name: 'Save draft' }).click();
  ok((await a.locator('article').textContent()).includes('The board reviews this policy every year.'), 'the draft is edited in Markdown and rendered');
  await check(a, 'document');
  await a.getByRole('button', { name: 'Submit for review' }).click();
  ok(await a.locator('#doc-status').textContent() === 'in-review' || await a.locator('#doc-status').textContent() === 'review',
    'the draft is submitted', await a.locator('#doc-status').textContent());
  await a.getByRole('button', { name: 'Approve' }).click();
  const refusal = await a.locator('#error-message').textContent();
  ok(/alice/.test(refusal) && await a.title().then((t) => t.startsWith('Not done')), 'the author may not approve the own policy (four eyes)', refusal);
  await check(a, 'refused');
  await a.goto(BASE + '/documents');
  await check(a, 'documents');

  // a risk owned by carol: alice is not offered the acceptance, and is refused when she posts it anyway
  aims('risk', 'library', 'add', 'chatbot', '--owner', 'carol', '--category', 'misuse');
  await a.goto(BASE + '/risks');
  await check(a, 'risks');
  ok(await a.getByRole('table', { name: /Inherent risk/ }).isVisible() && await a.getByRole('table', { name: /Residual risk/ }).isVisible(),
    'the risk register shows the inherent and residual heat maps');
  await a.locator('#list').getByRole('link', { name: 'RISK-001' }).click();
  ok(await a.locator('#risk-owner').textContent() === 'carol', 'the risk belongs to carol');
  ok(await a.getByRole('button', { name: 'Accept risk as its owner' }).count() === 0, 'acceptance is not offered to another account');
  const csrf = await a.locator('input[name=csrf]').first().inputValue();
  const forcedAccept = await ctxA.request.post(BASE + '/risks/RISK-001/accept', { form: { csrf, note: 'not mine' } });
  ok(forcedAccept.status() === 403 && /carol/.test(await forcedAccept.text()), 'another account is refused acceptance of the risk (403)', forcedAccept.status());
  await check(a, 'risk');

  await a.goto(BASE + '/account');
  await a.getByLabel('What it is for').fill('ci pipeline');
  await a.getByRole('button', { name: 'Create token' }).click();
  const token = await a.getByLabel('Token').inputValue();
  ok(/^aims_/.test(token) || token.length > 30, 'an API token is created and shown once');
  const who = await (await fetch(BASE + '/api/v1/whoami', { headers: { Authorization: 'Bearer ' + token } })).json();
  ok(who.principal === 'alice', 'the new token acts as alice in the API', JSON.stringify(who));
  await check(a, 'token');
  await a.goto(BASE + '/account');
  await check(a, 'account');
  await a.getByRole('button', { name: /Revoke token/ }).first().click();
  const after = await fetch(BASE + '/api/v1/whoami', { headers: { Authorization: 'Bearer ' + token } });
  ok(after.status === 401, 'a revoked token no longer works', after.status);

  for (const [p, name] of [['/models', 'models'], ['/datasets', 'datasets'], ['/assessments', 'assessments'], ['/evaluations', 'evaluations']]) {
    const r = await a.goto(BASE + p);
    ok(r.status() === 200, `${p} answers 200`);
    await check(a, name);
  }
  // incidents, nonconformities and corrective actions recorded with the CLI are listed
  aims('incident', 'open', 'chatbot', '--title', 'Wrong answers on loan terms', '--harm', 'other', '--severity', 'high',
    '--serious');
  aims('nc', 'open', '--title', 'Chatbot answers were not monitored', '--source', 'incident', '--source-ref', 'INC-001',
    '--requirement', '9.1');
  aims('nc', 'action', 'add', 'NC-001', '--description', 'monitor answers weekly', '--due', '2099-01-31');
  for (const [p, name, want] of [['/due', 'what is due', 'NC-001'], ['/incidents', 'incidents', 'INC-001'],
    ['/nonconformities', 'nonconformities', 'NC-001'], ['/corrective-actions', 'corrective actions', 'CA-001']]) {
    const r = await a.goto(BASE + p);
    ok(r.status() === 200, `${p} answers 200`);
    ok((await a.locator('table').textContent()).includes(want), `${p} lists ${want}`);
    await check(a, name);
  }
  ok((await a.locator('table').textContent()).includes('monitor answers weekly'), 'the corrective action is shown with its description');

  // decision logs: the list, a page of records, one record, its receipt (verified offline), the verification
  const vk = execFileSync(AIMS, ['ledger', 'keygen', '--name', 'web.example/aims', '--out', path.join(dir, 'ledger.key')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  aims('ledger', 'setup', '--key', path.join(dir, 'ledger.key'));
  fs.writeFileSync(path.join(dir, 'm.bin'), 'weights\n');
  aims('model', 'register', 'chat@1', '--file', path.join(dir, 'm.bin'));
  const recs = Array.from({ length: 120 }, (_, i) => JSON.stringify({ time: '2026-11-02T09:00:00Z', model: 'chat@1',
    input_digest: 'sha256:' + i.toString(16).padStart(64, '0'), output: { answer: i % 3 ? 'ok' : 'escalate', n: i },
    confidence: 0.5 + (i % 5) / 10 })).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'd.ndjson'), recs);
  aims('decision', 'ingest', '--system', 'chatbot', path.join(dir, 'd.ndjson'));
  await a.getByRole('link', { name: 'Decision logs' }).click();
  ok((await a.locator('#list').textContent()).includes('120'), '/decisions lists the chatbot log with its 120 records');
  await check(a, 'decision logs');
  await a.locator('#list').getByRole('link', { name: 'chatbot' }).click();
  ok(await a.locator('#decisions tbody tr').count() === 50, 'a page of 50 records of the log');
  ok((await a.locator('#decisions caption').textContent()).includes('0 to 49 of 120'), 'the page says which records it shows');
  await check(a, 'decision log');
  await a.getByRole('link', { name: 'Later records' }).click();
  ok((await a.locator('#decisions caption').textContent()).includes('50 to 99 of 120'), 'the next page of records');
  await a.goto(BASE + '/decisions/chatbot?from=117');
  ok(await a.locator('#decisions tbody tr').count() === 3 && await a.getByRole('link', { name: 'Later records' }).count() === 0,
    'the last page has the last 3 records and no later page');
  await a.locator('#decisions').getByRole('link', { name: '118', exact: true }).click();
  ok((await a.locator('#record').textContent()).includes('"n": 118'), 'one record in its canonical form');
  await check(a, 'decision');
  const dl = a.waitForEvent('download');
  await a.getByRole('link', { name: 'Download the receipt' }).click();
  const proof = path.join(dir, 'r118.proof');
  await (await dl).saveAs(proof);
  let verified = '';
  try { verified = execFileSync(AIMS, ['decision', 'verify-receipt', proof, '--vkey', vk], { encoding: 'utf8' }); } catch (e) { verified = String(e.stderr || e); }
  ok(/entry 118/.test(verified), 'the downloaded receipt verifies offline with the verifier key', verified);
  await a.goto(BASE + '/decisions/chatbot');
  await a.getByRole('link', { name: 'Verify this log' }).click();
  ok(/Verified: 120 entries/.test(await a.locator('#verdict').textContent()), 'the log verifies from its page');
  await check(a, 'decision verification');
  const nolog = await a.goto(BASE + '/decisions/nosuch');
  ok(nolog.status() === 404, 'a system without a log: 404', nolog.status());

  // the ledger: an object's history, and the verify button (the same verification as aims ledger verify)
  await a.getByRole('link', { name: 'Ledger' }).click();
  await a.getByLabel('Object id').fill('chatbot');
  await a.getByRole('button', { name: 'Show history' }).click();
  const hist = await a.locator('#history').textContent();
  ok(hist.includes('ai-system') && hist.includes('decision-log') && hist.includes('decision-head'), 'the ledger history of the chatbot', hist);
  await check(a, 'ledger');
  await a.getByRole('button', { name: 'Verify now' }).click();
  ok(/^Verified/.test(await a.locator('#verdict').textContent()) && (await a.locator('#logs').textContent()).includes('decision/chatbot'),
    'the ledger verifies from the web, every log listed');
  await check(a, 'ledger verification');

  // the dashboard: each log's latest signed checkpoint, linked to its verification
  await a.getByRole('link', { name: 'Dashboard' }).click();
  const cpRow = await a.locator('#systems-latest tbody tr', { hasText: 'chatbot' }).textContent();
  ok(cpRow.includes('120 entries signed'), 'the dashboard shows the chatbot decision log checkpoint (120 entries signed)', cpRow);
  ok(/entries under a signed checkpoint, root hash \S{40,}/.test(await a.locator('#governance-checkpoint').textContent()),
    'the dashboard shows the governance log checkpoint with its root hash', await a.locator('#governance-checkpoint').textContent());
  await check(a, 'dashboard with checkpoints');
  await a.getByRole('link', { name: 'Verify the decision log of chatbot' }).click();
  ok(/Verified: 120 entries/.test(await a.locator('#verdict').textContent()), 'the checkpoint link runs the log verification');

  // policies: store one from its YAML (a malformed one refused naming its line), read it
  await a.getByRole('link', { name: 'Policies' }).click();
  const policy = ['policy: chatbot-oversight', 'description: What a chatbot model needs, and which answers people review',
    'applies_to:', '  systems: [chatbot]', 'stages:', '  validation:', '    approvals:', '      - role: risk-owner',
    '        count: 1', 'exceptions:', '  approvals:', '    - role: risk-owner', '      count: 2', '  max_days: 30',
    'review:', '  confidence_below: 0.6', ''].join('\n');
  await a.getByLabel(/^Policy \(YAML or JSON/).fill(policy.replace('count: 1', 'cuont: 1'));
  await a.getByRole('button', { name: 'Store policy' }).click();
  ok(/line 9: stages\.validation\.approvals\[0\]\.cuont/.test(await a.locator('#error-message').textContent()),
    'a malformed policy is refused naming its line and key', await a.locator('#error-message').textContent());
  await a.goto(BASE + '/policies');
  await a.getByLabel(/^Policy \(YAML or JSON/).fill(policy);
  await a.getByRole('button', { name: 'Store policy' }).click();
  await a.waitForURL(BASE + '/policies/chatbot-oversight');
  ok(await a.locator('#policy-status').textContent() === 'active' && (await a.locator('#review-rules').textContent()).includes('confidence_below'),
    'a policy is stored from the web and shown with its review rules');
  await check(a, 'policy');
  await a.goto(BASE + '/policies');
  ok((await a.locator('#list').textContent()).includes('chatbot-oversight'), 'the policy is listed');
  await check(a, 'policies');
  // decisions ingested under the policy: those below 0.6 confidence enter the review queue
  const more = [0.4, 0.9, 0.55, 0.95].map((c, i) => JSON.stringify({ time: '2026-11-03T09:00:00Z', model: 'chat@1',
    input_digest: 'sha256:' + (1000 + i).toString(16).padStart(64, '0'), output: { answer: 'ok', n: 200 + i }, confidence: c,
    explanation: { text: 'terms matched the FAQ', contributions: { faq_match: 0.7, length: -0.1 } } })).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'd2.ndjson'), more);
  ok(JSON.parse(aims('decision', 'ingest', '--system', 'chatbot', path.join(dir, 'd2.ndjson'), '--json')).selected_for_review === 2,
    'two decisions are selected for review');

  // lifecycle gates: alice requests one, is not offered its approval and is refused it; a check is refused and recorded
  await a.getByRole('link', { name: 'Gates' }).click();
  await a.getByLabel('AI system').fill('chatbot');
  await a.getByLabel('Model version (NAME@VER)').fill('chat@1');
  await a.getByLabel('Stage').selectOption('validation');
  await a.getByLabel('Note (e.g. a change ticket)').fill('CHG-42');
  await a.getByRole('button', { name: 'Request gate' }).click();
  await a.waitForURL(BASE + '/gates/GATE-0001');
  ok(await a.locator('#gate-status').textContent() === 'open' && (await a.locator('#needs').textContent()).includes('risk-owner'),
    'a gate request shows what its policy still needs');
  ok(await a.getByRole('button', { name: 'Approve gate request' }).count() === 0, 'the requester is not offered the approval');
  const gcsrf = await a.locator('input[name=csrf]').first().inputValue();
  const ownGate = await ctxA.request.post(BASE + '/gates/GATE-0001/approve', { form: { csrf: gcsrf } });
  ok(ownGate.status() === 403 && /four eyes/.test(await ownGate.text()), 'the requester is refused the approval (403)', ownGate.status());
  await check(a, 'gate');
  await a.goto(BASE + '/gates');
  ok((await a.locator('#list').textContent()).includes('GATE-0001'), 'the gate request is listed');
  await check(a, 'gates');
  await a.goto(BASE + '/gate-checks');
  await a.getByLabel('AI system').fill('chatbot');
  await a.getByLabel('Model version (NAME@VER)').fill('chat@1');
  await a.getByLabel('Stage').selectOption('validation');
  await a.getByRole('button', { name: 'Check gate' }).click();
  ok(/^Refused/.test(await a.locator('#verdict').textContent()) && (await a.locator('#conditions').textContent()).includes('0 of 1'),
    'a gate check from the web is refused with its unmet condition');
  await check(a, 'gate check');
  await a.goto(BASE + '/gate-checks');
  ok((await a.locator('#list').textContent()).includes('GC-000001'), 'the gate check is recorded and listed');
  await check(a, 'gate checks');
  await a.goto(BASE + '/gate-exceptions');
  await a.getByLabel('AI system').fill('chatbot');
  await a.getByLabel('Model version (NAME@VER)').fill('chat@1');
  await a.getByLabel('Stage').selectOption('validation');
  await a.getByLabel('Why the gate may be passed without its conditions').fill('regulator-ordered fix');
  await a.getByLabel('Last day valid (YYYY-MM-DD)').fill(new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10));
  await a.getByRole('button', { name: 'Request exception' }).click();
  ok((await a.locator('#list').textContent()).includes('EXC-0001') && (await a.locator('#list').textContent()).includes('pending'),
    'a gate exception is requested and listed as pending');
  await check(a, 'gate exceptions');
  // the review queue: alice (no reviewer role) is not offered a review and is refused one
  await a.getByRole('link', { name: 'Reviews' }).click();
  ok(await a.locator('#list tbody tr').count() === 2 && (await a.locator('#list').textContent()).includes('pending'),
    'the review queue lists the two selected decisions');
  ok(await a.getByRole('button', { name: 'Take the next decision' }).count() === 0, 'a compliance manager is not offered a review');
  const noRev = await ctxA.request.post(BASE + '/reviews/next', { form: { csrf: gcsrf } });
  ok(noRev.status() === 403 && /review\.decide/.test(await noRev.text()), 'a compliance manager is refused a review (403)', noRev.status());
  await check(a, 'reviews');

  const users = await a.goto(BASE + '/users');
  ok(users.status() === 403, 'users and roles are refused to a non-admin (403)', users.status());
  ok(a.cspErrors.length === 0, 'no content-security-policy violations on alice\'s pages', a.cspErrors.join('\n'));
  await signOut(a);
  const gone = await ctxA.request.get(BASE + '/api/v1/whoami');
  ok(gone.status() === 401, 'signed out: the session cookie no longer acts in the API (401)', await gone.text());
  await ctxA.close();

  // ---- bob (another account) approves the policy ----
  const ctxB = await browser.newContext();
  const b = await signIn(ctxB, 'bob');
  await b.goto(BASE + '/documents/ai-policy');
  await b.getByRole('button', { name: 'Approve' }).click();
  ok(await b.locator('#doc-status').textContent() === 'approved', 'another account approves the policy');
  // bob (risk owner) approves the gate request; the gate then lets the version pass
  await b.goto(BASE + '/gates/GATE-0001');
  await b.getByLabel('Note').fill('validation plan reviewed');
  await b.getByRole('button', { name: 'Approve gate request' }).click();
  ok(await b.locator('#gate-status').textContent() === 'approved' && (await b.locator('#approvals').textContent()).includes('bob'),
    'another account with the role approves the gate request');
  await b.goto(BASE + '/gate-checks');
  await b.getByLabel('AI system').fill('chatbot');
  await b.getByLabel('Model version (NAME@VER)').fill('chat@1');
  await b.getByLabel('Stage').selectOption('validation');
  await b.getByRole('button', { name: 'Check gate' }).click();
  ok(/^Allowed/.test(await b.locator('#verdict').textContent()), 'after the approval the gate lets the version pass');
  await b.goto(BASE + '/gate-exceptions');
  await b.getByRole('button', { name: 'Approve EXC-0001' }).click();
  ok((await b.locator('#list').textContent()).includes('bob'), 'a risk owner approves the gate exception');
  const bcsrf = await b.locator('input[name=csrf]').first().inputValue();
  const bRev = await ctxB.request.post(BASE + '/reviews/REV-000001/accept', { form: { csrf: bcsrf } });
  ok(bRev.status() === 403, 'a risk owner is refused a review decision (403)', bRev.status());
  await ctxB.close();

  // ---- carol accepts the risk she owns ----
  const ctxC = await browser.newContext();
  const c = await signIn(ctxC, 'carol');
  await c.goto(BASE + '/risks/RISK-001');
  await c.getByLabel('Reason for accepting').fill('reviewed by a person before each use');
  await c.getByRole('button', { name: 'Accept risk as its owner' }).click();
  ok(await c.locator('#risk-status').textContent() === 'accepted' && (await c.locator('#acceptance').textContent()).includes('carol'),
    'the owner accepts the risk');
  await c.goto(BASE + '/gate-exceptions');
  await c.getByRole('button', { name: 'Approve EXC-0001' }).click();
  const exRow = await c.locator('#list tbody tr', { hasText: 'EXC-0001' }).textContent();
  ok(exRow.includes('active') && exRow.includes('carol'), 'with the second approval the exception is active', exRow);
  await ctxC.close();

  // ---- erin (reviewer): takes the next decision, overrides it, accepts the next; the log holds the review records ----
  const ctxE = await browser.newContext();
  const e = await signIn(ctxE, 'erin');
  await e.goto(BASE + '/reviews');
  await e.getByRole('button', { name: 'Take the next decision' }).click();
  await e.waitForURL(BASE + '/reviews/REV-000001');
  ok(await e.locator('#review-assigned').textContent() === 'erin' && (await e.locator('#decision').textContent()).includes('"n": 200') &&
     (await e.locator('#contributions').textContent()).includes('faq_match'),
  'the next decision is assigned to the reviewer with its record and explanation');
  await check(e, 'review');
  await e.getByLabel(/^Human outcome/).fill('{"answer": "escalate"}');
  await e.getByLabel('Reason', { exact: true }).fill('loan terms need a person');
  await e.getByRole('button', { name: 'Override the AI\'s decision' }).click();
  ok(await e.locator('#review-status').textContent() === 'reviewed' && /^override by erin/.test(await e.locator('#review-action').textContent()),
    'the reviewer overrides the decision', await e.locator('#review-action').textContent());
  await e.goto(BASE + '/reviews');
  await e.getByRole('button', { name: 'Take the next decision' }).click();
  await e.waitForURL(BASE + '/reviews/REV-000002');
  await e.getByRole('button', { name: 'Accept the AI\'s decision' }).click();
  ok(/^accept by erin/.test(await e.locator('#review-action').textContent()), 'the reviewer accepts the next decision');
  await e.goto(BASE + '/reviews');
  await e.getByRole('button', { name: 'Take the next decision' }).click();
  ok((await e.locator('#verdict').textContent()).includes('no decision waiting'), 'an empty queue says so');
  await e.goto(BASE + '/decisions/chatbot?from=120');
  const tail = await e.locator('#decisions tbody').textContent();
  ok(tail.includes('override') && tail.includes('accept') && (await e.locator('#decisions caption').textContent()).includes('of 126'),
    'the two review records are appended to the decision log', tail);
  await e.getByRole('link', { name: 'Verify this log' }).click();
  ok(/Verified: 126 entries/.test(await e.locator('#verdict').textContent()), 'the log with its review records verifies');
  ok(e.cspErrors.length === 0, 'no content-security-policy violations on erin\'s pages', e.cspErrors.join('\n'));
  await ctxE.close();

  // ---- admin: users and roles; the classification page of a classified system ----
  const ctxD = await browser.newContext();
  const d = await signIn(ctxD, 'admin');
  await d.goto(BASE + '/users');
  await check(d, 'users');
  await d.getByLabel('Account name (a-z 0-9 . _ -)').fill('dave');
  await d.getByLabel('auditor').check();
  await d.getByRole('button', { name: 'Add account' }).click();
  ok((await d.getByLabel('Initial password').inputValue()).length >= 12, 'an admin adds an account and sees its initial password once');
  await d.goto(BASE + '/users');
  ok((await d.locator('#list').textContent()).includes('dave'), 'the new account is listed');
  // the concern form works without an account once the organization allows it
  aims('concern', 'intake', 'on');
  const ctxP = await browser.newContext();
  const pub = await ctxP.newPage();
  const cf = await pub.goto(BASE + '/concern');
  ok(cf.status() === 200, 'the concern form opens without an account', cf.status());
  await check(pub, 'concern form');
  await pub.getByLabel('Your concern, in one line').fill('The chatbot gave me wrong loan terms');
  await pub.getByLabel('What happened (optional)').fill('It said 2% instead of 9%.');
  await pub.getByRole('button', { name: 'Send' }).click();
  ok(/^CON-\d+$/.test(await pub.locator('#concern-id').textContent()), 'a concern without an account gets its id, nothing more');
  await ctxP.close();
  ok(JSON.parse(aims('concern', 'list', '--json')).concerns[0].submitted_by === 'anonymous', 'the concern is in the register as anonymous');
  // an internal audit by the new auditor is listed
  aims('audit', 'plan', '--title', 'Monitoring of the chatbot', '--period', '2026-Q4', '--auditor', 'dave',
    '--requirement', '9.1', '--system', 'chatbot');
  const au = await d.goto(BASE + '/audits');
  ok(au.status() === 200 && (await d.locator('table').textContent()).includes('AUD-001'), '/audits lists the audit planned');
  await check(d, 'audits');
  // an audit programme holding it, with what its audits do not cover
  aims('audit', 'programme', 'create', '--title', 'Audits 2026', '--period', '2026');
  aims('audit', 'programme', 'add', 'PRG-001', 'AUD-001');
  const ap = await d.goto(BASE + '/audit-programmes');
  const apText = await d.locator('table').textContent();
  ok(ap.status() === 200 && apText.includes('PRG-001') && apText.includes('AUD-001') && apText.includes('9.2.1'),
    '/audit-programmes lists the programme, its audit and a clause not covered');
  await check(d, 'audit programmes');
  aims('supplier', 'add', 'Chat Vendor AG', '--provides', 'service', '--system', 'chatbot', '--next-assessment', '2099-01-01');
  aims('objective', 'add', '--title', 'No corrective action overdue', '--kpi', 'overdue-actions', '--target', '<= 0');
  for (const [p, name, want] of [['/suppliers', 'suppliers', 'SUP-001'], ['/concerns', 'concerns', 'CON-001'],
    ['/monitoring', 'monitoring runs', null], ['/objectives', 'objectives', 'OBJ-001']]) {
    const r = await d.goto(BASE + p);
    ok(r.status() === 200, `${p} answers 200`);
    if (want) ok((await d.locator('table').textContent()).includes(want), `${p} lists ${want}`);
    await check(d, name);
  }
  const rp = await d.goto(BASE + '/api/v1/management-review-pack?period=2026&format=html');
  ok(rp.status() === 200 && (await d.locator('h1').textContent()) === 'Management review pack', 'the management review pack opens in the browser');
  aims('aiact', 'classify', 'chatbot', '--answers', path.resolve('examples/aiact-credit-score.yaml'));
  const cl = await d.goto(BASE + '/aiact/chatbot');
  ok(cl.status() === 200 && (await d.locator('#tier').textContent()).length > 0, 'the EU AI Act page shows the classification');
  await check(d, 'aiact');
  await d.getByLabel('Obligation').selectOption('OBL-001');
  await d.getByLabel('Status').selectOption('in-progress');
  await d.getByLabel('Note').fill('training planned for March');
  await d.getByRole('button', { name: 'Save' }).click();
  ok((await d.getByRole('table', { name: /Obligations that result/ }).textContent()).includes('in-progress'),
    'an obligation is tracked from the EU AI Act page');
  // treatment of the risk (an administrator may manage risks)
  await d.goto(BASE + '/risks/RISK-001');
  await d.getByLabel('Option').selectOption('modify');
  await d.getByLabel(/Actions, one a line/).fill('A.9.2: a person reviews each use\nA.6.2.4: test against misuse before release');
  await d.getByLabel('Residual likelihood').fill('2');
  await d.getByLabel('Residual impact').fill('3');
  await d.getByRole('button', { name: 'Save treatment' }).click();
  const treated = await d.locator('main').textContent();
  ok(treated.includes('A.9.2: a person reviews each use') && treated.includes('likelihood 2 × impact 3 = 6'),
    'a risk treatment with actions and a residual estimate is saved', treated.slice(0, 600));
  await check(d, 'risk-treated');
  await d.goto(BASE + '/documents/ai-policy/diff');
  await check(d, 'diff');
  await ctxD.close();
} catch (e) {
  ok(false, 'the browser test ran to its end', e.stack);
} finally {
  await srv.stop();
}
console.log(`# screenshots of ${check.pages.size} pages in ${ART}`);
finish(dir);
