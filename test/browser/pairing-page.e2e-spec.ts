import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { RELAXED_LIMITS } from '../support/device-flow.js';
import {
  browserAvailable,
  closePage,
  expectAccessible,
  openConsole,
  screenshot,
  signIn,
  type ConsoleServer,
  startConsoleServer,
} from '../support/browser.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const PHONE = { width: 375, height: 812 };

// A person on their phone: opens the verification URI the TV shows, signs in, reviews the
// request and approves or denies it; the TV's next poll sees the answer. The TV is a plain
// HTTP client on the standard OAuth endpoints.
describe.runIf(browserAvailable)('the pairing page in Chromium, phone-sized', () => {
  let s: ConsoleServer;
  let person: { username: string; password: string };

  beforeAll(async () => {
    s = await startConsoleServer({ ...RELAXED_LIMITS, DEVICE_POLL_INTERVAL_SECONDS: '1' });
    const created = await s.t.factory.user();
    person = { username: created.user.username, password: created.password };
  });
  afterAll(() => s?.close());

  async function post(path: string, fields: Record<string, string>) {
    const res = await fetch(`${s.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function startTv(identifier: string, scope: string) {
    const res = await post('/oauth/device_authorization', {
      client_id: 'living-room-tv',
      scope,
      device_identifier: identifier,
      device_name: 'Living room TV',
    });
    expect(res.status).toBe(200);
    return res.body as {
      device_code: string;
      user_code: string;
      verification_uri_complete: string;
    };
  }

  const pollTv = (deviceCode: string) =>
    post('/oauth/token', {
      grant_type: GRANT,
      device_code: deviceCode,
      client_id: 'living-room-tv',
    });

  async function openOnPhone(url: string): Promise<Page> {
    const page = await openConsole(s.browser, url, PHONE);
    await signIn(page, person.username, person.password);
    return page;
  }

  it('pairs the TV with exactly the scopes the person kept', async () => {
    const tv = await startTv('tv-serial-0042', 'me.read devices.read tokens.read');
    expect(tv.verification_uri_complete).toBe(`${s.baseUrl}/pair/device?user_code=${tv.user_code}`);
    const page = await openConsole(s.browser, tv.verification_uri_complete, PHONE);
    // Before signing in, the code is already there to compare with the TV.
    await page.getByText(tv.user_code).waitFor();
    await expectAccessible(page);
    await signIn(page, person.username, person.password);

    const heading = page.getByRole('heading', { level: 2, name: /living-room-tv/ });
    await heading.waitFor();
    expect(await heading.textContent()).toBe('living-room-tvUnregistered');
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain(tv.user_code);
    expect(facts).toContain('tv-serial-0042');
    expect(facts).toMatch(/Requested from\s+(::ffff:)?127\.0\.0\.1/);
    // Seconds, however slow the browser was to open the page: not minutes or a date.
    expect(facts).toMatch(/Requested\s+(just now|\d+ seconds ago)/);
    expect(await page.getByRole('note').textContent()).toBe(
      'Only approve if you started this on a device in front of you.',
    );
    const boxes = page.getByRole('checkbox');
    expect(await boxes.count()).toBe(3);
    expect(await page.getByLabel('Read your profile me.read').isChecked()).toBe(true);
    expect(await page.getByLabel('Name for this device').inputValue()).toBe('Living room TV');
    expect(await page.getByLabel('Access expires').inputValue()).toBe('');
    // Nothing sticks out sideways on a 375 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(375);
    await expectAccessible(page);
    await screenshot(page, 'pairing-phone');

    await page.getByLabel('List your paired devices devices.read').uncheck();
    await page.getByLabel('Name for this device').fill('TV in the lounge');
    await page.getByLabel('Access expires').selectOption({ label: 'After 30 days' });
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Approved' }).waitFor();
    expect(await page.getByRole('status').first().textContent()).toBe(
      'Approved. TV in the lounge will finish signing in within a few seconds, with: me.read, tokens.read.',
    );
    await page.getByText('This page closes in 3 s.').waitFor();
    await page.getByText('You can close this page now.').waitFor({ timeout: 6000 });
    await expectAccessible(page);
    await screenshot(page, 'pairing-approved');

    const token = await pollTv(tv.device_code);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'me.read tokens.read' });
    const me = await fetch(`${s.baseUrl}/api/users/me`, {
      headers: { authorization: `Bearer ${token.body.access_token as string}` },
    });
    expect(await me.json()).toMatchObject({
      username: person.username,
      scopes: ['me.read', 'tokens.read'],
      current_device_id: token.body.device_id,
    });
    await closePage(page);
  });

  it('denies a request, and the TV is told so', async () => {
    const tv = await startTv('unknown-box', 'me.read');
    const page = await openOnPhone(tv.verification_uri_complete);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: 'Denied' }).waitFor();
    expect(await page.getByRole('status').first().textContent()).toBe(
      'Denied. The device was not paired.',
    );
    await screenshot(page, 'pairing-denied');
    const res = await pollTv(tv.device_code);
    expect(res).toMatchObject({ status: 400, body: { error: 'access_denied' } });
    await closePage(page);
  });

  it('takes the code typed in any case, with or without the dash', async () => {
    const tv = await startTv('kitchen-radio', 'me.read');
    const page = await openOnPhone(`${s.baseUrl}/pair/device`);
    const box = page.getByLabel('Code shown on the device');
    await box.fill(tv.user_code.replace('-', '').toLowerCase());
    expect(await box.inputValue()).toBe(tv.user_code);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 2, name: /living-room-tv/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('user_code')).toBe(tv.user_code);
    await closePage(page);
  });

  it('loads under 150 kB of gzipped JavaScript, none of it the admin pages', async () => {
    const scripts: string[] = [];
    const context = await s.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    page.on('response', (res) => {
      if (res.url().endsWith('.js')) scripts.push(res.url());
    });
    await page.goto(`${s.baseUrl}/pair/device?user_code=BCDF-GHJK`);
    await page.getByLabel('Username').waitFor();
    await signIn(page, person.username, person.password);
    await page.getByRole('alert').waitFor();
    expect(scripts.some((url) => url.includes('/assets/pairing-page-'))).toBe(true);
    expect(scripts.filter((url) => /admin|audit|users-page|tokens-page/.test(url))).toEqual([]);
    let gzipped = 0;
    for (const url of scripts) {
      gzipped += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    }
    expect(gzipped).toBeLessThan(150 * 1024);
    await context.close();
  });

  it('says so when the code is wrong', async () => {
    const page = await openOnPhone(`${s.baseUrl}/pair/device?user_code=BBBB-BBBB`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/code/i);
    await screenshot(page, 'pairing-wrong-code');
    await closePage(page);
  });
});
