// SPDX-License-Identifier: Apache-2.0
// A customer closes their VE to everything but port 80: the policy to drop, one rule, a bad rule refused
// beside its field; the API then reads what the page set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launch, shot, signIn, provision, createVe } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const suffix = Date.now().toString(36);
const customer = { username: `fcust${suffix}`, password: 'Basalt-Firewall-Lantern-64' };
const hostname = `walled-${suffix}.example.com`;

test('a customer opens port 80 only', async () => {
  const planId = await provision(customer, `Firewall ${suffix}`);
  const job = await createVe(customer, planId, hostname);
  const page = await browser.newPage();
  await signIn(page, customer.username, customer.password);
  await page.goto(`${baseUrl}/customer/ves/${job.veId}`);
  await Promise.all([page.waitForNavigation(), page.click('#firewall-link')]);
  assert.match(await page.textContent('#no-rules'), /No rule/);

  await page.selectOption('#policy', 'drop');
  await Promise.all([page.waitForNavigation(), page.click('#save-settings')]);
  assert.match(await page.textContent('#saved'), /in force/);

  await page.selectOption('#rule-protocol', 'tcp');
  await page.fill('#rule-ports', '80-70');
  await Promise.all([page.waitForNavigation(), page.click('#add-rule-button')]);
  assert.match(await page.textContent('#error'), /not above the last/);
  assert.equal(await page.getAttribute('#error', 'data-field'), 'ports');
  assert.equal(await page.inputValue('#rule-ports'), '80-70', 'what was typed stays to be corrected');

  await page.fill('#rule-ports', '80');
  await Promise.all([page.waitForNavigation(), page.click('#add-rule-button')]);
  assert.deepEqual(await page.locator('#rules .rule').allTextContents(), ['allow tcp 80']);
  await shot(page, '40-firewall-port-80');

  const basic = 'Basic ' + Buffer.from(`${customer.username}:${customer.password}`).toString('base64');
  const token = await (await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'reading the firewall', days: 1 }),
  })).json();
  const firewall = await (await fetch(`${baseUrl}/api/v1/ves/${job.veId}/firewall`,
    { headers: { Authorization: `Bearer ${token.secret}` } })).json();
  assert.equal(firewall.policy, 'drop');
  assert.deepEqual(firewall.rules, ['allow tcp 80']);
  assert.equal(firewall.icmp, true, 'ICMP stays allowed unless the customer says otherwise');
});
