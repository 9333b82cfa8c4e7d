// SPDX-License-Identifier: Apache-2.0
// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

// the panel under test, started by the test harness on a port of its own: never a running panel's (8080)
if (!process.env.CAIRN_URL) {
  throw new Error('CAIRN_URL is not set: the browser tests run against the panel BrowserTests starts, never a running one');
}
export const baseUrl = process.env.CAIRN_URL;
export const admin = {
  username: process.env.CAIRN_ADMIN_USER ?? 'admin',
  password: process.env.CAIRN_ADMIN_PASSWORD,
};
export const screenshots = path.resolve(process.env.SCREENSHOT_DIR ?? 'test-results');
mkdirSync(screenshots, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

export async function signIn(page, username, password) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
}

export async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
}

/** The admin provisions as a billing system would: a token, a plan with backups, a customer holding it. */
export async function provision(customer, planName, memory = '64M', ipv4 = '0') {
  const basic = 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64');
  const made = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'browser provisioning', days: 1 }),
  });
  assert.equal(made.status, 201);
  const headers = { Authorization: `Bearer ${(await made.json()).secret}`, 'Content-Type': 'application/json' };
  const plan = await fetch(`${baseUrl}/api/v1/admin/plans`, {
    method: 'POST', headers,
    body: JSON.stringify({ name: planName, memory, swap: '0', cpus: '1', cpuWeight: '100',
      pids: '128', ipv4, ipv6: '0', backupsKept: '5', snapshotsKept: '3' }),
  });
  assert.equal(plan.status, 201, await plan.clone().text());
  const planId = (await plan.json()).id;
  const person = await fetch(`${baseUrl}/api/v1/admin/customers`, {
    method: 'POST', headers,
    body: JSON.stringify({ username: customer.username, email: `${customer.username}@example.com`,
      password: customer.password }),
  });
  assert.equal(person.status, 201, await person.clone().text());
  const customerId = (await person.json()).customer.id;
  const held = await fetch(`${baseUrl}/api/v1/admin/customers/${customerId}/holdings`, {
    method: 'PUT', headers, body: JSON.stringify({ plans: [planId], maxVes: '2' }),
  });
  assert.equal(held.status, 200, await held.clone().text());
  return planId;
}

/** The customer makes a busybox VE through the API, as a script would, and waits for it; returns its job. */
export async function createVe(customer, planId, hostname) {
  const basic = 'Basic ' + Buffer.from(`${customer.username}:${customer.password}`).toString('base64');
  const made = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `making ${hostname}`, days: 1 }),
  });
  const headers = { Authorization: `Bearer ${(await made.json()).secret}`, 'Content-Type': 'application/json' };
  const created = await (await fetch(`${baseUrl}/api/v1/ves`, {
    method: 'POST', headers,
    body: JSON.stringify({ plan: planId, template: 'busybox', hostname, rootPassword: 'Root-Of-Browser-Ve-2' }),
  })).json();
  let job = created;
  for (let i = 0; i < 120 && !['succeeded', 'failed'].includes(job.state); i++) {
    await new Promise((r) => setTimeout(r, 500));
    job = await (await fetch(`${baseUrl}/api/v1/jobs/${created.id}`, { headers })).json();
  }
  assert.equal(job.state, 'succeeded', JSON.stringify(job));
  return job;
}
