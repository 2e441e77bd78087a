import type { Browser, Page } from 'playwright-core';
import { initDevice, poll, RELAXED_LIMITS } from '../support/device-flow.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// A person on their phone: opens the verification URI the TV shows, signs in, reviews the
// request and approves or denies it; the TV's next poll sees the answer.
describe.runIf(browserAvailable)('the pairing page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let person: { username: string; password: string };

  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
    const created = await t.factory.user();
    person = { username: created.user.username, password: created.password };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openAndSignIn(userCode: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 400, height: 900 } });
    await page.goto(`${baseUrl}/pair/device?user_code=${userCode}`);
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('shows the request and pairs the device with the scopes the person kept', async () => {
    const device = await initDevice(t, {
      client_name: 'Living room TV',
      scopes: ['me.read', 'devices.read'],
    });
    const page = await openAndSignIn(device.user_code);

    await page.getByRole('heading', { name: /Living room TV/ }).waitFor();
    expect(await page.getByText('Unverified').count()).toBeGreaterThan(0);
    const body = await page.textContent('body');
    expect(body).toContain(device.user_code);
    expect(body).toContain('Read your profile');

    await page.getByRole('checkbox', { name: /devices\.read/ }).uncheck();
    await page.getByLabel('Name for this device').fill('TV in the lounge');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(/Approved/).waitFor();

    const token = await poll(t, device.device_code).expect(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'me.read' });
    const me = await t
      .http()
      .get('/api/users/me')
      .auth(token.body.access_token, { type: 'bearer' })
      .expect(200);
    expect(me.body).toMatchObject({
      username: person.username,
      current_device_id: token.body.device_id,
    });
    // The person's own device list shows the name they gave it.
    const session = (await t.http().post('/api/auth/login').send(person).expect(200)).body
      .access_token;
    const devices = await t
      .http()
      .get(`/api/devices/${token.body.device_id}`)
      .auth(session, { type: 'bearer' })
      .expect(200);
    expect(devices.body.name).toBe('TV in the lounge');
    await page.close();
  });

  it('denies a request, and the device is told so', async () => {
    const device = await initDevice(t, { client_name: 'Unknown box' });
    const page = await openAndSignIn(device.user_code);
    await page.getByRole('heading', { name: /Unknown box/ }).waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByText(/Denied/i).waitFor();
    const res = await poll(t, device.device_code).expect(400);
    expect(res.body.error).toBe('access_denied');
    await page.close();
  });

  it('says so when the code is wrong', async () => {
    const page = await openAndSignIn('BBBB-BBBB');
    await page
      .getByText(/not found|expired|no pending|check the code/i)
      .first()
      .waitFor();
    await page.close();
  });
});
