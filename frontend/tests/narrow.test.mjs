// SPDX-License-Identifier: Apache-2.0
// Every page of every role on a phone (390 x 844) and the audit log on a laptop (1280 wide): no page is wider
// than the window, so nothing scrolls sideways and no button is cut off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, admin, launch, shot, signIn, provision, createVe } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const suffix = Date.now().toString(36);
const customer = { username: `ncust${suffix}`, password: 'Amber-Narrow-Harbor-43' };
const hostname = `narrow-${suffix}.example.com`;

/** How much wider than the window the page is (0: not at all). */
async function overflow(page, path) {
  const answer = await page.goto(`${baseUrl}${path}`);
  assert.ok(answer.status() < 400, `${path} answered ${answer.status()}`);
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test('no page of any role is wider than a phone, nor the audit log than a laptop', async () => {
  const planId = await provision(customer, `Narrow ${suffix}`);
  const ve = (await createVe(customer, planId, hostname)).veId;
  const wide = [];
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone, customer.username, customer.password);
  for (const path of ['/customer', '/customer/ves/new', `/customer/ves/${ve}`, `/customer/ves/${ve}/backups`,
    '/account/password', '/account/tokens', '/account/sessions']) {
    const extra = await overflow(phone, path);
    if (extra > 0) { wide.push(`customer ${path}: ${extra} px`); await shot(phone, `narrow-${path.replaceAll('/', '_')}`); }
  }
  await shot(phone, '30-narrow-customer-ve');
  const adminPhone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(adminPhone, admin.username, admin.password);
  for (const path of ['/admin', '/admin/users', '/admin/plans', '/admin/ip-pools', '/admin/templates', '/admin/node',
    '/admin/audit', '/support', `/support/ves/${ve}`]) {
    const extra = await overflow(adminPhone, path);
    if (extra > 0) { wide.push(`admin ${path}: ${extra} px`); await shot(adminPhone, `narrow-${path.replaceAll('/', '_')}`); }
  }
  const laptop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(laptop, admin.username, admin.password);
  const audit = await overflow(laptop, '/admin/audit');
  if (audit > 0) { wide.push(`admin /admin/audit at 1280: ${audit} px`); }
  await shot(laptop, '31-audit-1280');
  assert.deepEqual(wide, []);
});
