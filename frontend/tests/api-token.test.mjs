// SPDX-License-Identifier: Apache-2.0
// A billing system's first steps over real HTTP: a token made with the admin's name and password (Basic, on
// /api/v1/tokens only), used as a Bearer token without any session cookie, then revoked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, admin } from './helpers.mjs';

test('an API token works over HTTP without a session, until revoked', async () => {
  const basic = 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64');
  const made = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'http check', days: 1 }),
  });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get('set-cookie'), null, 'no session cookie for Basic');
  const { secret, token } = await made.json();
  const bearer = { Authorization: `Bearer ${secret}` };

  const me = await fetch(`${baseUrl}/api/v1/me`, { headers: bearer });
  assert.equal(me.status, 200);
  assert.equal(me.headers.get('set-cookie'), null, 'no session cookie for a token');
  assert.equal((await me.json()).username, admin.username);
  const plans = await fetch(`${baseUrl}/api/v1/admin/plans`, { headers: bearer });
  assert.equal(plans.status, 200);

  const revoked = await fetch(`${baseUrl}/api/v1/tokens/${token.id}`, { method: 'DELETE', headers: bearer });
  assert.equal(revoked.status, 204);
  const after = await fetch(`${baseUrl}/api/v1/me`, { headers: bearer });
  assert.equal(after.status, 401);
  assert.match(after.headers.get('content-type'), /application\/problem\+json/);
});
