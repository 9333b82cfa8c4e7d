// SPDX-License-Identifier: Apache-2.0
// The console in the browser: xterm.js over a WebSocket to a login shell inside the customer's VE. Typing
// `hostname` shows the VE's host name; `top` draws full screen and quits on q; a smaller window resizes the
// terminal inside the VE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launch, shot, signIn, provision, createVe } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const suffix = Date.now().toString(36);
const customer = { username: `ccust${suffix}`, password: 'Amber-Console-Harbor-41' };
const hostname = `console-${suffix}.example.com`;

async function screenShows(page, pattern, timeout = 20_000) {
  try {
    await page.waitForFunction(([p, f]) => new RegExp(p, f).test(window.consoleText()), [pattern.source, pattern.flags],
      { timeout });
  } catch (e) {
    await shot(page, 'console-failure');
    const status = await page.textContent('#console-status');
    throw new Error(`no ${pattern} on the console (${status}): ${await page.evaluate(() => window.consoleText())}`);
  }
}

test('the console shows the VE host name, runs top full screen and follows the window size', async () => {
  const planId = await provision(customer, `Console ${suffix}`);
  const job = await createVe(customer, planId, hostname);

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, customer.username, customer.password);
  await page.goto(`${baseUrl}/customer/ves/${job.veId}`);
  await Promise.all([page.waitForNavigation(), page.click('#console-link')]);
  await page.waitForFunction(() => document.getElementById('console-status').textContent === 'connected');
  await page.click('#console');
  await page.keyboard.type('hostname\n');
  await screenShows(page, new RegExp(`^${hostname}$`, 'm'));
  await shot(page, '20-console-hostname');

  await page.keyboard.type('top\n');
  await screenShows(page, /PID\s+PPID\s+USER/);
  await shot(page, '21-console-top');
  await page.keyboard.press('q');
  await page.keyboard.type('clear; echo top-ended\n');
  await screenShows(page, /^top-ended$/m);

  const before = await page.evaluate(() => window.consoleText());
  await page.setViewportSize({ width: 800, height: 600 });
  await page.waitForTimeout(500);
  await page.keyboard.type('stty size | sed "s/ /x/"\n');
  await screenShows(page, /^\d+x\d+$/m);
  const [rows, cols] = (await page.evaluate(() => window.consoleText())).match(/^(\d+)x(\d+)$/m).slice(1).map(Number);
  assert.ok(cols < 100 && rows > 5, `the terminal follows the smaller window (${rows}x${cols})`);
  assert.ok(before.includes("top-ended"));
  await shot(page, '22-console-resized');

  // a busy VE: its CPU chart rises within a few samples, then the VE is stopped (and the loop with it)
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.keyboard.type('(while :; do :; done) >/dev/null 2>&1 &\n');
  await page.goto(`${baseUrl}/customer/ves/${job.veId}`);
  await page.waitForFunction(() => {
    const cpu = window.usageData?.cpu ?? [];
    return cpu.length >= 2 && cpu[cpu.length - 1] > 50;
  }, null, { timeout: 60_000 });
  const cpu = await page.evaluate(() => window.usageData.cpu);
  assert.ok(cpu[0] < 50, `the CPU chart starts low and rises: ${cpu}`);
  await page.locator('#chart-cpu').scrollIntoViewIfNeeded();
  await shot(page, '23-usage-cpu-rising');
  await Promise.all([page.waitForNavigation(), page.click('#action-stop')]);
  await page.close();
});
