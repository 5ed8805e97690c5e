// The screenshots of docs/web.md: every page of the web UI on the demo's data.
//   make demo; cp demo/aims.db /tmp/shots.db
//   build/aims --db /tmp/shots.db serve --listen 127.0.0.1:8642 &
//   node tools/web-screenshots.mjs http://127.0.0.1:8642 docs/web
// Signs in as ciso and head-of-credit with the passwords in demo/passwords/.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, out] = [process.argv[2] || 'http://127.0.0.1:8642', process.argv[3] || 'docs/web'];
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

async function as(user) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  if (user) {
    await page.getByLabel('Account').fill(user);
    await page.getByLabel('Password').fill(fs.readFileSync(`demo/passwords/${user}`, 'utf8').trim());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(base + '/');
  }
  return page;
}
async function shot(page, url, name, selector) {
  await page.goto(base + url);
  // the whole page (or from the element `selector` on), cut at 1600 pixels so that long lists keep the files small
  const y = selector ? Math.floor(await page.locator(selector).evaluate((e) => e.getBoundingClientRect().top + window.scrollY)) : 0;
  const height = Math.min(1600, await page.evaluate(() => document.documentElement.scrollHeight) - y);
  await page.screenshot({ path: path.join(out, name + '.png'), fullPage: true, clip: { x: 0, y, width: 1280, height } });
  console.log(`${url} -> ${path.join(out, name + '.png')}`);
}

const anon = await as(null);
await shot(anon, '/login', 'login');
const ciso = await as('ciso');
for (const [url, name] of [['/', 'dashboard'], ['/systems', 'systems'], ['/systems/credit-score', 'system'],
  ['/models', 'models'], ['/datasets', 'datasets'], ['/gap', 'gap'], ['/soa', 'soa'], ['/soa/A.7.5', 'soa-control'],
  ['/documents', 'documents'], ['/documents/ai-policy', 'document'], ['/risks', 'risks'],
  ['/assessments', 'assessments'], ['/assessments/IA-001', 'assessment'],
  ['/assessments/new?system=credit-score', 'assessment-form'], ['/evaluations', 'evaluations'], ['/aiact/credit-score', 'aiact'],
  ['/account', 'account'], ['/decisions', 'decision-logs'], ['/decisions/credit-score', 'decisions'],
  ['/decisions/credit-score/0', 'decision'], ['/ledger?object=credit-score', 'ledger'],
  ['/policies', 'policies'], ['/policies/credit-models', 'policy'], ['/gates', 'gates'],
  ['/gate-checks', 'gate-checks'], ['/gate-exceptions', 'gate-exceptions'], ['/reviews', 'reviews'],
  ['/incidents', 'incidents'], ['/nonconformities', 'nonconformities'], ['/corrective-actions', 'corrective-actions'],
  ['/audits', 'audits'], ['/audit-programmes', 'audit-programmes'], ['/monitoring', 'monitoring'], ['/concerns', 'concerns'], ['/suppliers', 'suppliers'],
  ['/objectives', 'objectives'], ['/due', 'due'], ['/incidents/INC-001', 'incident'],
  ['/nonconformities/NC-001', 'nonconformity'], ['/monitoring/plans', 'monitoring-plans'],
  ['/monitoring/plans/credit-monthly', 'monitoring-plan'], ['/management-reviews', 'management-reviews'],
  ['/systems/credit-score/review-metrics', 'review-metrics']])
  await shot(ciso, url, name);
await shot(ciso, '/aiact/credit-score', 'aiact-questions', '#classify');
const hoc = await as('head-of-credit');
await shot(hoc, '/risks/RISK-002', 'risk');
await browser.close();
