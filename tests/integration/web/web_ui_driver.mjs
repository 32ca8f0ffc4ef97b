// Drives Starling's web UI in headless Chromium for test_web_ui.py: logs in, creates a user,
// an extension and a device through the forms, watches the dashboard while the test makes
// SIPp register and call, adds a trunk and a route, and saves a screenshot of every page.
//
// usage: node web_ui_driver.mjs BASE_URL ADMIN_PASSWORD SCREENSHOT_DIR
// Talks to the test over stdio: prints "step NAME" lines, and waits for a line on stdin
// after each "step ... waiting" (the test does its SIP part, then answers).
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [base, adminPassword, screenshots] = process.argv.slice(2);
const modules = process.env.STARLING_WEB_NODE_MODULES;
const { chromium } = createRequire(join(modules, 'package.json'))('playwright-core');

const kDevicePassword = 'web-ui-device-secret-1';
const kTimeoutMs = 20000;
const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
let page = null; // for a screenshot of whatever went wrong

function step(name) {
  console.log(`step ${name}`);
}

// Announces a step that needs the test's SIP work and waits until the test says it is done.
async function handOver(name) {
  console.log(`step ${name} waiting`);
  const answer = await input.next();
  if (answer.done || answer.value.trim() !== 'go') throw new Error(`the test answered ${answer.value}`);
}

async function shoot(page, name) {
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot ${path}`);
}

async function submitForm(page, button) {
  await page.getByRole('button', { name: button }).click();
}

async function main() {
  mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(kTimeoutMs);
  page = await context.newPage();
  const problems = [];
  // A CSP violation or a script error shows up here: the test fails on any. The 401 (before
  // login), 422 and 412 answers are provoked on purpose.
  const expected = /status of (401|412|422) /;
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => dialog.accept());

  await page.goto(`${base}/`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(adminPassword);
  await shoot(page, 'login');
  await submitForm(page, 'Log in');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.locator('.live[data-status="open"]').waitFor();
  step('logged-in');

  // A user with an extension; a wrong name first, to see the server's message at its field.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  await page.getByLabel('Login name').fill('Alice Smith');
  await page.getByLabel('Display name').fill('Alice Smith');
  await page.getByLabel('Extension').fill('1001');
  await submitForm(page, 'Create user');
  await page.locator('.field-error').waitFor();
  const invalid = await page.getByLabel('Login name').getAttribute('aria-invalid');
  if (invalid !== 'true') throw new Error('the login name field is not marked invalid');
  step('field-error-shown');
  await page.getByLabel('Login name').fill('alice');
  await submitForm(page, 'Create user');
  await page.locator('[data-secret]').waitFor();
  await shoot(page, 'users');
  await page.getByRole('cell', { name: '1001', exact: true }).waitFor();
  step('user-created');

  // Another administrator changes alice while the form is open: saving must not overwrite it.
  await page.getByRole('link', { name: 'Edit alice' }).click();
  await page.getByLabel('Display name').waitFor();
  const session = await (await page.request.get(`${base}/api/v1/session`)).json();
  const changed = await page.request.patch(`${base}/api/v1/users/alice`, {
    headers: { 'X-CSRF-Token': session.csrf_token },
    data: { display_name: 'Alice from elsewhere' },
  });
  if (!changed.ok()) throw new Error(`PATCH /users/alice answered ${changed.status()}`);
  await page.getByLabel('Display name').fill('Alice Smith-Jones');
  await submitForm(page, 'Save changes');
  await page.getByText('Someone else changed this record meanwhile').waitFor();
  const shown = await page.getByLabel('Display name').inputValue();
  if (shown !== 'Alice from elsewhere') throw new Error(`after 412 the form shows ${shown}`);
  step('concurrent-change-kept');

  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  await page.getByRole('button', { name: 'New device' }).click();
  await page.getByLabel('User', { exact: true }).fill('alice');
  await page.getByLabel('Description').fill('SIPp desk phone');
  await page.getByLabel('SIP user name').fill('alice');
  await page.getByLabel('SIP password').fill(kDevicePassword);
  await submitForm(page, 'Create device');
  await page.getByRole('cell', { name: 'SIPp desk phone' }).waitFor();
  await shoot(page, 'devices');
  step('device-created');

  await page.getByRole('link', { name: 'Dashboard' }).click();
  const registrations = page.locator('[data-panel="registrations"]');
  await registrations.getByText('No device is registered.').waitFor();
  await handOver('register');
  await registrations.getByRole('cell', { name: 'alice', exact: true }).first().waitFor();
  step('registration-seen');

  const calls = page.locator('[data-panel="active-calls"]');
  await handOver('call');
  await calls.getByRole('cell', { name: '1002', exact: true }).waitFor();
  await shoot(page, 'dashboard-call');
  step('call-seen');
  await calls.getByText('No calls in progress.').waitFor();
  step('call-ended');
  const recent = page.locator('[data-panel="recent-calls"]');
  await recent.getByRole('cell', { name: '1002', exact: true }).first().waitFor();
  await shoot(page, 'dashboard');
  step('call-recorded');

  // A personal contact with typed numbers, and an API token shown once.
  await page.goto(`${base}/my/contacts`);
  await page.getByRole('button', { name: 'New contact' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Bob Builder');
  await page.getByLabel('Numbers').fill('mobile +49 170 1234567\n0301234');
  await submitForm(page, 'Create contact');
  await page.getByRole('cell', { name: '+49 170 1234567, 0301234' }).waitFor();
  await page.goto(`${base}/my/tokens`);
  await page.getByRole('button', { name: 'New token' }).click();
  await page.getByLabel('Name', { exact: true }).fill('CRM');
  await page.getByLabel(/^calls:read/).check();
  await submitForm(page, 'Create token');
  await page.locator('[data-secret]').waitFor();
  await page.getByRole('cell', { name: 'calls:read' }).waitFor();
  step('contact-and-token-created');

  // An IP trunk (nothing registers, so nothing leaves loopback); a malformed DID first, to see
  // the numbering plan's message at the Numbers field.
  await page.getByRole('link', { name: 'Trunks', exact: true }).click();
  await page.getByRole('button', { name: 'New trunk' }).click();
  await page.getByLabel('Name', { exact: true }).fill('carrier');
  await page.getByLabel('Kind').selectOption('ip');
  await page.getByLabel('Domain').fill('127.0.0.1');
  await page.getByLabel(/^Numbers/).fill('+4930555000=1001\n+49-not-a-number=1001');
  await page.getByLabel(/^Allowed addresses/).fill('127.0.0.1');
  await page.getByLabel(/^Channels/).fill('4');
  await submitForm(page, 'Create trunk');
  await page.locator('.field-error').waitFor();
  if ((await page.getByLabel(/^Numbers/).getAttribute('aria-invalid')) !== 'true') {
    throw new Error('the numbers field is not marked invalid');
  }
  step('trunk-field-error-shown');
  await page.getByLabel(/^Numbers/).fill('+4930555000=1001\n+4930555001-+4930555009=1001');
  await submitForm(page, 'Create trunk');
  await page.getByRole('cell', { name: 'carrier', exact: true }).waitFor();
  await page.getByRole('cell', { name: /IP/ }).waitFor();
  await shoot(page, 'trunks');
  step('trunk-created');

  await page.getByRole('link', { name: 'Routes', exact: true }).click();
  await page.getByRole('button', { name: 'New route' }).click();
  await page.getByLabel('Name', { exact: true }).fill('national');
  await page.getByLabel('Pattern').fill('0Z.');
  await page.getByLabel('Trunks').fill('carrier');
  await submitForm(page, 'Create route');
  await page.getByRole('cell', { name: 'national', exact: true }).waitFor();
  await shoot(page, 'routes');
  step('route-created');

  for (const [path, name, heading] of [
    ['/extensions', 'extensions', 'Extensions'],
    ['/groups', 'groups', 'Groups'],
    ['/users/alice', 'user-edit', 'User alice'],
    ['/trunks/carrier', 'trunk-edit', 'Trunk carrier'],
    ['/system', 'system', 'System'],
    ['/my/calls', 'calls', 'Call history'],
    ['/my/contacts', 'contacts', 'My contacts'],
    ['/my/tokens', 'tokens', 'My API tokens'],
  ]) {
    await page.goto(`${base}${path}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await shoot(page, name);
  }
  // The same dashboard on a phone's screen.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`${base}/`);
  await page.locator('.live[data-status="open"]').waitFor();
  await shoot(page, 'dashboard-phone');
  // Table rows are cards on a phone, without the table's roles.
  await page.goto(`${base}/trunks`);
  await page.getByText('carrier', { exact: true }).waitFor();
  await shoot(page, 'trunks-phone');
  await page.goto(`${base}/trunks/carrier`);
  await page.getByLabel('Domain').waitFor();
  await shoot(page, 'trunk-edit-phone');
  step('screenshots-saved');

  await browser.close();
  if (problems.length) throw new Error(`the page reported errors:\n${problems.join('\n')}`);
  step('done');
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error.stack || String(error));
    if (page) await shoot(page, 'failure').catch(() => {});
    process.exit(1);
  },
);
