// SPDX-License-Identifier: Apache-2.0
// A customer closes their VE to everything but port 80 (the policy to drop, one rule, a bad rule refused beside
// its field; the API then reads what the page set) and names its address in reverse DNS, read back with dig.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { baseUrl, admin, launch, shot, signIn, provision, createVe } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const suffix = Date.now().toString(36);
const customer = { username: `fcust${suffix}`, password: 'Basalt-Firewall-Lantern-64' };
const hostname = `walled-${suffix}.example.com`;

async function adminHeaders() {
  const basic = 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64');
  const made = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'browser firewall and ptr', days: 1 }),
  });
  return { Authorization: `Bearer ${(await made.json()).secret}`, 'Content-Type': 'application/json' };
}

test('a customer opens port 80 only and sets a PTR', async () => {
  // an address of a pool of its own (names unchecked: no forward zone here), on a plan with one IPv4 address
  const headers = await adminHeaders();
  const pool = await fetch(`${baseUrl}/api/v1/admin/ip-pools`, {
    method: 'POST', headers, body: JSON.stringify({ name: `browser ${suffix}`, first: '203.0.113.240/29' }),
  });
  assert.equal(pool.status, 201, await pool.clone().text());
  const unchecked = await fetch(`${baseUrl}/api/v1/admin/ip-pools/${(await pool.json()).id}/ptr-check`, {
    method: 'PUT', headers, body: JSON.stringify({ ptrCheck: false }),
  });
  assert.equal(unchecked.status, 200);
  const poolId = (await unchecked.json()).id;
  const planId = await provision(customer, `Firewall ${suffix}`, '64M', '1');
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

  // reverse DNS: the VE's address gets a name on the page, which PowerDNS then answers
  await page.goto(`${baseUrl}/customer/ves/${job.veId}`);
  await Promise.all([page.waitForNavigation(), page.click('#ptr-link')]);
  const row = page.locator('#ptr-records tr[data-address]').first();
  const address = await row.getAttribute('data-address');
  assert.match(address, /^203\.0\.113\.24[1-6]$/);
  await row.locator('.ptr-name').fill('web-browser.example.com');
  await Promise.all([page.waitForNavigation(), row.locator('.save-ptr').click()]);
  assert.match(await page.textContent('#saved'), new RegExp(address.replaceAll('.', '\\.')));
  assert.equal(await page.locator('#ptr-records tr[data-address] .ptr-name').first().inputValue(), 'web-browser.example.com');
  await shot(page, '41-reverse-dns');
  const [host, port] = process.env.CAIRN_DNS.split(':');
  const answer = execFileSync('dig', ['+short', '-p', port, `@${host}`, '-x', address]).toString().trim();
  assert.equal(answer, 'web-browser.example.com.');

  // the VE and the pool go: no later test finds this pool's addresses (nor its unchecked names)
  const gone = await fetch(`${baseUrl}/api/v1/ves/${job.veId}?confirm=${hostname}`,
    { method: 'DELETE', headers: { Authorization: `Bearer ${token.secret}` } });
  assert.equal(gone.status, 202);
  const destroyJob = (await gone.json()).id;
  let state = 'queued';
  for (let i = 0; i < 120 && !['succeeded', 'failed'].includes(state); i++) {
    await new Promise((r) => setTimeout(r, 500));
    state = (await (await fetch(`${baseUrl}/api/v1/jobs/${destroyJob}`,
      { headers: { Authorization: `Bearer ${token.secret}` } })).json()).state;
  }
  assert.equal(state, 'succeeded');
  const deleted = await fetch(`${baseUrl}/api/v1/admin/ip-pools/${poolId}`, { method: 'DELETE', headers });
  assert.equal(deleted.status, 204);
});
