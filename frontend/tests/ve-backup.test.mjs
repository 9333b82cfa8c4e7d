// SPDX-License-Identifier: Apache-2.0
// The customer's path: sign in, create a VE from the busybox template, see it running, back it up, restore a
// file from the backup (and see it in the next one). The support desk's path: find the VE, restore a folder
// with a reason, which the customer then sees on the VE's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, admin, launch, shot, signIn, signOut, provision } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const suffix = Date.now().toString(36);
const customer = { username: `bcust${suffix}`, password: 'Quartz-Harbor-Lantern-23' };
const support = { username: `bsupp${suffix}`, password: 'Cedar-Signal-Meadow-31' };
const hostname = `web-${suffix}.example.com`;

async function waitForText(page, selector, pattern, timeout = 90_000) {
  await page.waitForFunction(([s, p]) => new RegExp(p).test(document.querySelector(s)?.textContent ?? ''),
    [selector, pattern.source], { timeout });
}

test('a customer creates a VE, backs it up and restores a file; support restores a folder with a reason', async () => {
  assert.ok(admin.password, 'CAIRN_ADMIN_PASSWORD must be set');
  await provision(customer, `Browser ${suffix}`);
  const page = await browser.newPage();

  // the customer: a new VE from busybox, followed without a reload until it runs
  await signIn(page, customer.username, customer.password);
  assert.match(page.url(), /\/customer$/);
  await Promise.all([page.waitForNavigation(), page.click('#new-ve')]);
  await page.selectOption('#template', 'busybox');
  await page.fill('#hostname', hostname);
  await page.fill('#rootPassword', 'Root-Of-Browser-Ve-1');
  await shot(page, '10-create-ve');
  await Promise.all([page.waitForNavigation(), page.click('#create-ve')]);
  assert.match(page.url(), /\/customer\/ves\/\d+\?job=\d+$/);
  await waitForText(page, '#ve-state', /^running$/);
  const vePage = page.url();
  await shot(page, '11-ve-running');

  // back up now, then browse the backup and restore /etc/hosts into /root/restored
  await Promise.all([page.waitForNavigation(), page.click('#backups-link')]);
  await Promise.all([page.waitForNavigation(), page.click('#back-up-now')]);
  await page.waitForSelector('#snapshots a.snapshot', { timeout: 90_000 });
  await shot(page, '12-backed-up');
  await Promise.all([page.waitForNavigation(), page.click('#snapshots a.snapshot')]);
  await Promise.all([page.waitForNavigation(), page.click('#entries a:text("etc/")')]);
  const hosts = page.locator('tr[data-path="/etc/hosts"]');
  await hosts.locator('input[name="to"]').fill('/root/restored');
  await shot(page, '13-restore-file');
  await Promise.all([page.waitForNavigation(), hosts.locator('button').click()]);
  await waitForText(page, '#restores tbody tr:first-child', /succeeded/);
  await shot(page, '14-file-restored');

  // the next backup holds the restored file
  await Promise.all([page.waitForNavigation(), page.click('#back-up-now')]);
  await page.waitForFunction(() => document.querySelectorAll('#snapshots a.snapshot').length === 2, null,
    { timeout: 90_000 });
  const newest = await page.getAttribute('#snapshots a.snapshot', 'href');
  await page.goto(`${baseUrl}${newest.replace(/path=[^&]*/, 'path=/root/restored')}`);
  assert.ok(await page.isVisible('tr[data-path="/root/restored/hosts"]'), 'the restored file is in the VE');
  await signOut(page);

  // the admin makes a support account
  await signIn(page, admin.username, admin.password);
  await page.goto(`${baseUrl}/admin/users/new`);
  await page.fill('#username', support.username);
  await page.fill('#email', `${support.username}@example.com`);
  await page.selectOption('#role', 'SUPPORT');
  await page.fill('#password', support.password);
  await Promise.all([page.waitForNavigation(), page.click('#create-user')]);
  await signOut(page);

  // the support desk: find the VE, open its newest backup, restore the folder /root/restored with a reason
  await signIn(page, support.username, support.password);
  assert.match(page.url(), /\/support$/);
  await page.fill('#q', hostname);
  await Promise.all([page.waitForNavigation(), page.click('button:text("Search")')]);
  await shot(page, '15-support-found');
  await Promise.all([page.waitForNavigation(), page.click(`#found-ves a:text("${hostname}")`)]);
  assert.equal(await page.textContent('#ve-owner'), customer.username);
  await Promise.all([page.waitForNavigation(), page.click('#snapshots a.snapshot')]);
  await Promise.all([page.waitForNavigation(), page.click('#entries a:text("root/")')]);
  const folder = page.locator('tr[data-path="/root/restored"]');
  await folder.locator('input[name="to"]').fill('/root/from-support');
  await folder.locator('input[name="reason"]').fill(`ticket ${suffix}: files lost`);
  await shot(page, '16-support-restore');
  await Promise.all([page.waitForNavigation(), folder.locator('button').click()]);
  await waitForText(page, '#restores tbody tr:first-child', /succeeded/);
  assert.match(await page.textContent('#restores tbody tr:first-child'), /files lost/);
  await shot(page, '17-support-restored');
  await signOut(page);

  // the customer sees on the VE's page what support restored, when and why
  await signIn(page, customer.username, customer.password);
  await page.goto(vePage.replace(/\?job=\d+$/, ''));
  const notice = await page.textContent('#support-restores');
  assert.match(notice, /restored \/root\/restored/);
  assert.match(notice, new RegExp(`ticket ${suffix}: files lost`));
  await shot(page, '18-customer-sees-support-restore');
  await page.close();
});
