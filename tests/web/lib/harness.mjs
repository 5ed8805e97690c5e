// What a browser test file of tests/web/ needs: TAP output, a store of its own (SQLite, or a database
// on the PostgreSQL server of tests/pg-harness.sh), a real `aims serve` on 127.0.0.1, Debian's chromium
// driven by playwright-core, sign-in, and the per-page check (axe with zero serious or critical
// violations, a screenshot kept in $AIMS_WEB_ARTIFACTS).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const AIMS = path.resolve(process.env.AIMS || 'build/aims');
const ART = path.resolve(process.env.AIMS_WEB_ARTIFACTS || 'build/web');
const TMPROOT = path.resolve(process.env.AIMS_TEST_TMP || os.tmpdir());
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let n = 0, failed = 0;
export function ok(cond, what, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { failed++; console.log(`not ok ${n} - ${what}`); if (detail) console.log(`# ${String(detail).split('\n').join('\n# ')}`); }
}

// a store with the organization and the accounts [[name, role]], and the server on it;
// `prefix` names the screenshots and the database
export async function start(prefix, accounts) {
  fs.mkdirSync(TMPROOT, { recursive: true });
  fs.mkdirSync(ART, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMPROOT, `aims-web-${prefix}-`));
  const PG_BASE = process.env.AIMS_TEST_DB_URL_BASE || '';
  const db = PG_BASE ? `${PG_BASE}web_${prefix}_${process.pid}_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`
    : path.join(dir, 'aims.db');
  const aims = (...args) => execFileSync(AIMS, ['--db', db, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AIMS_TOKEN: '' } });
  aims('init', '--org', 'Web Test GmbH');
  const pw = {};
  for (const [u, role] of accounts)
    pw[u] = JSON.parse(aims('user', 'add', u, '--role', role, '--json')).initial_password;
  const server = spawn(AIMS, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--port-file', path.join(dir, 'port')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  server.stderr.on('data', (d) => { serverLog += d; });
  let port = '';
  for (let i = 0; i < 100 && !port; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try { port = fs.readFileSync(path.join(dir, 'port'), 'utf8').trim(); } catch { /* not yet */ }
  }
  if (!port) { console.log('Bail out! aims serve did not start: ' + serverLog); process.exit(1); }
  const BASE = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  let shot = 0;
  const t = {
    dir, db, aims, BASE, browser,
    // every page: no serious or critical accessibility violations, a screenshot
    async check(page, name) {
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      ok(results.passes.length > 10, `axe ran its checks on ${name}`, results.passes.length);
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const minor = results.violations.filter((v) => !bad.includes(v));
      if (minor.length) console.log(`# ${name}: minor/moderate axe findings: ${minor.map((v) => v.id).join(', ')}`);
      ok(bad.length === 0, `axe: ${name} has no serious or critical violations`,
        bad.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((x) => x.target.join(' ')).slice(0, 4).join(', ')}`).join('\n'));
      await page.screenshot({ path: path.join(ART, `${prefix}-${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    },
    async signIn(user) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      page.cspErrors = [];
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.cspErrors.push(m.text()); });
      await page.goto(BASE + '/');
      await page.getByLabel('Account').fill(user);
      await page.getByLabel('Password').fill(pw[user]);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(BASE + '/');
      return page;
    },
    async finish() {
      await browser.close();
      // built with sanitizers (SAN=1) the server writes an error it meets to standard error (no leak
      // check: SIGTERM ends it without running exit handlers)
      const exited = new Promise((r) => server.on('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
      ok(!/Sanitizer|runtime error/.test(serverLog), 'the server wrote no sanitizer finding', serverLog.slice(0, 4000));
      console.log(`1..${n}`);
      if (!failed) fs.rmSync(dir, { recursive: true, force: true });
      process.exit(failed ? 1 : 0);
    },
  };
  return t;
}
