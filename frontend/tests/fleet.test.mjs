// SPDX-License-Identifier: Apache-2.0
// An admin enrolls a second node: adds it on the nodes page, runs the join command shown (once) on the node, starts
// its agent, sees it answer, and sees a customer's new VE placed on it. Then the VE goes and the node is removed.
// The node is a real agent process that BrowserTests prepared: its own engine root, cgroup parent and uid range.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { baseUrl, admin, launch, shot, signIn, provision, createVe } from './helpers.mjs';

const node = {
  java: process.env.CAIRN_NODE_JAVA,
  classpath: process.env.CAIRN_NODE_CLASSPATH,
  dir: process.env.CAIRN_NODE_DIR,
  port: process.env.CAIRN_NODE_PORT,
  engine: ['--root', process.env.CAIRN_NODE_ROOT, '--cgroup-parent', process.env.CAIRN_NODE_CGROUP_PARENT,
    '--first-uid', process.env.CAIRN_NODE_FIRST_UID],
};

let browser;
let agent;
before(async () => { browser = await launch(); });
after(async () => {
  agent?.kill('SIGTERM');
  await browser?.close();
});

const suffix = Date.now().toString(36);
const nodeName = `node2-${suffix}`;
const customer = { username: `fcust${suffix}`, password: 'Basalt-Orchard-Kettle-52' };

function cairn(...args) {
  return spawnSync(node.java, ['-cp', node.classpath, 'org.cairn.Cairn', ...args], { encoding: 'utf8' });
}

async function listening(port, timeout = 60_000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the node agent did not listen on ${port}`);
}

async function nodeCondition(page) {
  return (await page.locator(`#node-${nodeName} .condition`).textContent()).trim();
}

test('an admin enrolls a node and a new VE is placed on it', { skip: !node.java && 'run through BrowserTests' }, async () => {
  const page = await browser.newPage();
  await signIn(page, admin.username, admin.password);
  await page.goto(`${baseUrl}/admin/nodes`);
  await page.fill('#name', nodeName);
  await page.fill('#address', `127.0.0.1:${node.port}`);
  await Promise.all([page.waitForNavigation(), page.click('#add-node')]);
  const command = (await page.locator('#join-command').textContent()).trim();
  assert.match(command, /^cairn node join http:\/\/\S+ join_\S+\.[0-9a-f]{64}$/);
  assert.equal(await nodeCondition(page), 'waiting for its join');
  await shot(page, '40-node-added');
  // shown once: a reload no longer shows the token
  await page.reload();
  assert.equal(await page.locator('#join-command').count(), 0);

  // on the node: the command as shown, then the agent
  const [, , , panelUrl, token] = command.split(' ');
  const joined = cairn('node', 'join', panelUrl, token, '--dir', node.dir);
  assert.equal(joined.status, 0, joined.stderr);
  assert.match(joined.stdout, new RegExp(`joined the fleet as ${nodeName}`));
  agent = spawn(node.java, ['-cp', node.classpath, 'org.cairn.Cairn', 'node', 'serve', '--listen',
    `127.0.0.1:${node.port}`, '--dir', node.dir, ...node.engine], { stdio: 'ignore' });
  writeFileSync(path.join(node.dir, 'agent.pid'), String(agent.pid));
  await listening(node.port);

  // the panel asks the node how it is within a few seconds: active, with its capacity and templates
  for (let i = 0; i < 60 && await nodeCondition(page) !== 'active'; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    await page.reload();
  }
  assert.equal(await nodeCondition(page), 'active');
  const row = await page.locator(`#node-${nodeName}`).textContent();
  assert.match(row, /templates: .*busybox/);
  await shot(page, '41-node-active');

  // a customer's new VE goes where the least memory is sold: the new node
  const planId = await provision(customer, `Fleet ${suffix}`);
  const job = await createVe(customer, planId, `placed-${suffix}.example.com`);
  await page.goto(`${baseUrl}/admin/node`);
  const veRow = page.locator('#node-ves tr', { hasText: `placed-${suffix}.example.com` });
  assert.equal((await veRow.locator('.ve-node').textContent()).trim(), nodeName);
  assert.match(await veRow.textContent(), /running/);
  await shot(page, '42-ve-on-node2');

  // a node that holds a VE cannot be removed; once the VE is gone, it can
  await page.goto(`${baseUrl}/admin/nodes`);
  await Promise.all([page.waitForNavigation(), page.click(`#node-${nodeName}-remove`)]);
  assert.match(await page.locator('.flash.bad').textContent(), /holds 1 VE/);
  const basic = 'Basic ' + Buffer.from(`${customer.username}:${customer.password}`).toString('base64');
  const madeToken = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'fleet clean-up', days: 1 }),
  });
  const bearer = `Bearer ${(await madeToken.json()).secret}`;
  const destroyed = await fetch(`${baseUrl}/api/v1/ves/${job.veId}?confirm=placed-${suffix}.example.com`,
    { method: 'DELETE', headers: { Authorization: bearer } });
  assert.equal(destroyed.status, 202, await destroyed.clone().text());
  for (let i = 0; i < 60; i++) {
    const gone = await fetch(`${baseUrl}/api/v1/ves/${job.veId}`, { headers: { Authorization: bearer } });
    if (gone.status === 404) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.goto(`${baseUrl}/admin/nodes`);
  await Promise.all([page.waitForNavigation(), page.click(`#node-${nodeName}-remove`)]);
  assert.match(await page.locator('.flash.ok').textContent(), /removed/);
  assert.equal(await page.locator(`#node-${nodeName}`).count(), 0);
});
