// What a browser test of tests/web/ needs: TAP output, a store of its own (a SQLite file, or a database
// on the PostgreSQL server of tests/pg-harness.sh), `aims serve` on 127.0.0.1, Debian's chromium, axe on
// a page with a screenshot kept in $AIMS_WEB_ARTIFACTS, and signing in through the form.
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
  else { failed++; console.log(`not ok ${n} - ${what}`); if (detail !== undefined) console.log(`# ${String(detail).split('\n').join('\n# ')}`); }
}

// a folder and a store for the test named `name`; aims(...) runs the command line on that store
export function store(name) {
  fs.mkdirSync(TMPROOT, { recursive: true });
  fs.mkdirSync(ART, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMPROOT, `aims-${name}-`));
  const base = process.env.AIMS_TEST_DB_URL_BASE || '';
  const db = base ? `${base}${name}_${process.pid}_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`
    : path.join(dir, 'aims.db');
  const aims = (...args) => execFileSync(AIMS, ['--db', db, ...args], { encoding: 'utf8', env: { ...process.env, AIMS_TOKEN: '' } });
  return { dir, db, aims, name };
}

// `aims serve` on the store and a headless chromium; returns { BASE, browser, stop }
export async function serve(st) {
  const portFile = path.join(st.dir, 'port');
  const server = spawn(AIMS, ['--db', st.db, 'serve', '--listen', '127.0.0.1:0', '--port-file', portFile],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  let port = '';
  for (let i = 0; i < 100 && !port; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try { port = fs.readFileSync(portFile, 'utf8').trim(); } catch { /* not yet */ }
  }
  if (!port) { console.log('Bail out! aims serve did not start: ' + log); server.kill('SIGTERM'); process.exit(1); }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  return {
    BASE: `http://127.0.0.1:${port}`, browser,
    async stop() { await browser.close(); server.kill('SIGTERM'); },
  };
}

// axe (WCAG 2.0/2.1 A and AA) on the page: no serious or critical violation; a screenshot named after the test
let shot = 0;
export async function check(page, st, name) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  ok(results.passes.length > 10, `axe ran its checks on ${name}`, results.passes.length);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !bad.includes(v));
  if (minor.length) console.log(`# ${name}: minor/moderate axe findings: ${minor.map((v) => v.id).join(', ')}`);
  ok(bad.length === 0, `axe: ${name} has no serious or critical violations`,
    bad.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((x) => x.target.join(' ')).slice(0, 4).join(', ')}`).join('\n'));
  await page.screenshot({ path: path.join(ART, `${st.name}-${String(++shot).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9]+/g, '-')}.png`),
    fullPage: true });
}

// a page signed in as `user`; page.cspErrors collects the browser's content-security-policy reports
export async function signIn(srv, ctx, user, password) {
  const page = await ctx.newPage();
  page.cspErrors = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.cspErrors.push(m.text()); });
  await page.goto(srv.BASE + '/');
  await page.getByLabel('Account').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(srv.BASE + '/');
  return page;
}

// the TAP plan and the exit status; the store's folder is removed when every test passed
export function finish(st) {
  console.log(`1..${n}`);
  if (!failed) fs.rmSync(st.dir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}
