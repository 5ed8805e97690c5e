// What the browser tests of the web UI share (tests/web/*.mjs; make web-test runs each): TAP output, a store of the test's
// own (a SQLite file, or a database of its own on the PostgreSQL server of tests/pg-harness.sh),
// a real `aims serve` on 127.0.0.1 started on it, Debian's chromium, the accessibility check with
// a screenshot of every page, and signing in through the form.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const AIMS = path.resolve(process.env.AIMS || 'build/aims');
export const ART = path.resolve(process.env.AIMS_WEB_ARTIFACTS || 'build/web');
const TMPROOT = path.resolve(process.env.AIMS_TEST_TMP || os.tmpdir());
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let n = 0, failed = 0;
export function ok(cond, what, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { failed++; console.log(`not ok ${n} - ${what}`); if (detail) console.log(`# ${String(detail).split('\n').join('\n# ')}`); }
}

// the plan line; the folder is removed when everything passed; the exit status
export function finish(dir) {
  console.log(`1..${n}`);
  if (!failed) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

// a folder and a store for the test: aims(...args) runs the CLI on it as the operating-system user
export function store(name) {
  fs.mkdirSync(TMPROOT, { recursive: true });
  fs.mkdirSync(ART, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMPROOT, `aims-${name}-`));
  // on the PostgreSQL run (tests/pg-harness.sh sets AIMS_TEST_DB_URL_BASE) the store is a database of
  // its own on that server, which `aims init` creates; otherwise a SQLite file in the folder
  const PG_BASE = process.env.AIMS_TEST_DB_URL_BASE || '';
  const db = PG_BASE ? `${PG_BASE}${name.replace(/[^A-Za-z0-9]/g, '_')}_${process.pid}_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`
    : path.join(dir, 'aims.db');
  const aims = (...args) => execFileSync(AIMS, ['--db', db, ...args], { encoding: 'utf8', env: { ...process.env, AIMS_TOKEN: '' } });
  return { dir, db, aims };
}

// `aims serve` on the store and chromium; stop() ends both and waits for the server to exit
export async function serve(db, dir) {
  const server = spawn(AIMS, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--port-file', path.join(dir, 'port')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const s = { server, log: '' };
  server.stderr.on('data', (d) => { s.log += d; });
  let port = '';
  for (let i = 0; i < 100 && !port; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try { port = fs.readFileSync(path.join(dir, 'port'), 'utf8').trim(); } catch { /* not yet */ }
  }
  if (!port) { console.log('Bail out! aims serve did not start: ' + s.log); process.exit(1); }
  s.BASE = `http://127.0.0.1:${port}`;
  s.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  s.stop = async () => {
    await s.browser.close();
    const exited = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20000))]);
  };
  return s;
}

// every page: no serious or critical accessibility violations, a screenshot named prefix + NN-name
export function checker(prefix) {
  let shot = 0;
  const pages = new Set();
  const check = async (page, name) => {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    ok(results.passes.length > 10, `axe ran its checks on ${name}`, results.passes.length);
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = results.violations.filter((v) => !bad.includes(v));
    if (minor.length) console.log(`# ${name}: minor/moderate axe findings: ${minor.map((v) => v.id).join(', ')}`);
    ok(bad.length === 0, `axe: ${name} has no serious or critical violations`,
      bad.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((x) => x.target.join(' ')).slice(0, 4).join(', ')}`).join('\n'));
    await page.screenshot({ path: path.join(ART, `${prefix}${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    pages.add(name);
  };
  check.pages = pages;
  return check;
}

// sign in through the form in a new page of ctx; page.cspErrors collects content-security-policy reports
export async function signIn(BASE, ctx, user, password) {
  const page = await ctx.newPage();
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  page.cspErrors = csp;
  await page.goto(BASE + '/');
  await page.getByLabel('Account').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/');
  return page;
}
