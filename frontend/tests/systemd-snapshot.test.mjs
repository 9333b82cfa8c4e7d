// SPDX-License-Identifier: Apache-2.0
// A real Linux server: the customer creates a debian-12 VE (systemd as its init), opens its console and sees
// `systemctl is-system-running` answer running; takes a snapshot, deletes a file, rolls back and sees it again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launch, shot, signIn, provision } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const suffix = Date.now().toString(36);
const customer = { username: `scust${suffix}`, password: 'Granite-Snapshot-Orchard-52' };
const hostname = `debian-${suffix}.example.com`;

async function waitForText(page, selector, pattern, timeout = 90_000) {
  await page.waitForFunction(([s, p]) => new RegExp(p).test(document.querySelector(s)?.textContent ?? ''),
    [selector, pattern.source], { timeout });
}

async function inConsole(page, veUrl, command, pattern) {
  await page.goto(veUrl);
  await Promise.all([page.waitForNavigation(), page.click('#console-link')]);
  await page.waitForFunction(() => document.getElementById('console-status').textContent === 'connected');
  await page.click('#console');
  await page.keyboard.type(`${command}\n`);
  try {
    await page.waitForFunction(([p, f]) => new RegExp(p, f).test(window.consoleText()), [pattern.source, pattern.flags],
      { timeout: 60_000 });
  } catch (e) {
    throw new Error(`no ${pattern} on the console: ${await page.evaluate(() => window.consoleText())}`);
  }
}

test('a debian-12 VE runs systemd; a snapshot brings a deleted file back', async () => {
  await provision(customer, `Systemd ${suffix}`, '256M');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, customer.username, customer.password);
  await Promise.all([page.waitForNavigation(), page.click('#new-ve')]);
  await page.selectOption('#template', 'debian-12');
  await page.fill('#hostname', hostname);
  await page.fill('#rootPassword', 'Root-Of-Debian-Ve-3');
  await Promise.all([page.waitForNavigation(), page.click('#create-ve')]);
  await waitForText(page, '#ve-state', /^running$/);
  const veUrl = page.url().replace(/\?.*$/, '');

  await inConsole(page, veUrl, 'systemctl is-system-running --wait', /^running$/m);
  await shot(page, '30-systemd-running');

  await page.goto(veUrl);
  await Promise.all([page.waitForNavigation(), page.click('#snapshots-link')]);
  await page.fill('#snapshot-name', 'before-cleanup');
  await Promise.all([page.waitForNavigation(), page.click('#take-snapshot')]);
  await page.waitForSelector('#snapshots tr[data-snapshot="before-cleanup"]', { timeout: 90_000 });
  await shot(page, '31-snapshot-taken');

  await inConsole(page, veUrl, 'rm /etc/motd; test -e /etc/motd || echo motd-gone', /^motd-gone$/m);

  await page.goto(`${veUrl}/snapshots`);
  const row = page.locator('tr[data-snapshot="before-cleanup"]');
  await row.locator('input[name="confirmation"]').fill(hostname);
  await Promise.all([page.waitForNavigation(), row.locator('button.rollback').click()]);
  // the page follows the job and loads itself again once it succeeded
  await page.waitForFunction(() => !window.location.search.includes('job=')
    || document.getElementById('job-state')?.textContent === 'failed', null, { timeout: 120_000 });
  assert.ok(!page.url().includes('job='), `the rollback failed: ${await page.textContent('#job-error').catch(() => '')}`);
  await shot(page, '32-rolled-back');

  await page.goto(veUrl);
  await waitForText(page, '#ve-state', /^running$/);
  await inConsole(page, veUrl, 'test -s /etc/motd && echo motd-back', /^motd-back$/m);
  await shot(page, '33-file-back');
  await page.close();
});
