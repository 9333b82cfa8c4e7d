// SPDX-License-Identifier: Apache-2.0
// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const baseUrl = process.env.CAIRN_URL ?? 'http://localhost:8080';
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
