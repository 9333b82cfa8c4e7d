// SPDX-License-Identifier: Apache-2.0
// The first admin creates a customer; the customer signs in with the one-time password, chooses their
// own, and lands on the customer dashboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, admin, launch, shot, signIn, signOut } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('admin creates a customer who then signs in to their own dashboard', async () => {
  assert.ok(admin.password, 'CAIRN_ADMIN_PASSWORD must be set');
  const page = await browser.newPage();
  const customer = `cust${Date.now().toString(36)}`;

  await page.goto(`${baseUrl}/admin`);
  assert.match(page.url(), /\/login$/, 'an anonymous visitor is sent to the sign-in form');
  await shot(page, '01-login');

  await signIn(page, admin.username, admin.password);
  assert.match(page.url(), /\/admin$/);
  assert.equal(await page.textContent('#dashboard-title'), 'Admin dashboard');
  await shot(page, '02-admin-dashboard');

  await Promise.all([page.waitForNavigation(), page.click('#new-user')]);
  await page.fill('#username', customer);
  await page.fill('#email', `${customer}@example.com`);
  await page.selectOption('#role', 'CUSTOMER');
  await Promise.all([page.waitForNavigation(), page.click('#create-user')]);
  const oneTimePassword = (await page.textContent('#one-time-password')).trim();
  assert.ok(oneTimePassword.length >= 12, 'a one-time password is shown once');
  await shot(page, '03-customer-created');

  await signOut(page);
  assert.match(page.url(), /\/login\?signedOut$/);

  await signIn(page, customer, oneTimePassword);
  assert.match(page.url(), /\/account\/password$/, 'a one-time password must be replaced first');
  await shot(page, '04-choose-password');
  await page.fill('#currentPassword', oneTimePassword);
  await page.fill('#newPassword', 'Basalt-Meadow-Lantern-17');
  await page.fill('#confirmPassword', 'Basalt-Meadow-Lantern-17');
  await Promise.all([page.waitForNavigation(), page.click('#change-password')]);

  assert.match(page.url(), /\/customer$/);
  assert.equal(await page.textContent('#dashboard-title'), 'My Virtual Environments');
  await shot(page, '05-customer-dashboard');

  const forbidden = await page.goto(`${baseUrl}/admin`);
  assert.equal(forbidden.status(), 403, 'a customer opening an admin page gets 403');
  await shot(page, '06-customer-forbidden');
  await page.close();
});

test('a wrong password is refused with a message on the form', async () => {
  const page = await browser.newPage();
  await signIn(page, admin.username, 'not-the-password-at-all');
  assert.match(page.url(), /\/login\?error$/);
  assert.match(await page.textContent('.flash.bad'), /Wrong user name or password/);
  await shot(page, '07-wrong-password');
  await page.close();
});
