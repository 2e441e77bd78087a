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
import { mintDeviceToken } from '../support/client-tokens.js';

// A person manages their own credentials from the console, and the API agrees.
describe.runIf(browserAvailable)('my account in Chromium', () => {
  let s: ConsoleServer;
  beforeAll(async () => {
    s = await startConsoleServer();
  });
  afterAll(() => s?.close());

  const me = (token: string) =>
    fetch(`${s.baseUrl}/api/users/me`, { headers: { authorization: `Bearer ${token}` } });

  it('creates a client token, copies it once, revokes it, and the API refuses it', async () => {
    const { user, password } = await s.t.factory.user();
    const page = await openConsole(s.browser, `${s.baseUrl}/account/tokens`);
    await signIn(page, user.username, password);
    await page.getByText(`Signed in as ${user.username}`).waitFor();
    await page.getByText('No client tokens yet. Create one above.').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Name', { exact: true }).fill('Backup script');
    await page.getByLabel('Read your profile me.read').check();
    await page.getByLabel('Expires').selectOption({ label: 'After 90 days' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('The new secret');
    await secret.waitFor();
    const token = (await secret.textContent())!;
    expect(token).toMatch(/^pgc_[0-9A-Za-z]{38}$/);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    expect((await me(token)).status).toBe(200);

    const row = page.getByRole('row', { name: /Backup script/ });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'Backup script',
      `pgc_${token.slice(4, 12)}…`,
      'me.read',
      'none',
      'active',
      'just now',
      'in 3 months',
      'never',
      expect.stringContaining('Rename'),
    ]);
    await expectAccessible(page);
    await screenshot(page, 'client-tokens');

    await row.getByRole('button', { name: 'Revoke Backup script' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “Backup script”?' });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked').waitFor();
    expect(await row.getByRole('button').count()).toBe(0);

    const refused = await me(token);
    expect(refused.status).toBe(401);
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await page.getByText('No token matches these filters.').waitFor();
    await closePage(page);
  });

  it('rotates and renames a token, and gives a pairing code with a countdown', async () => {
    const { user, password } = await s.t.factory.user();
    const page = await openConsole(s.browser, `${s.baseUrl}/account/tokens`);
    await signIn(page, user.username, password);
    await page.getByText(`Signed in as ${user.username}`).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Laptop CLI');
    await page.getByLabel('List your tokens tokens.read').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const first = (await page.getByLabel('The new secret').textContent())!;

    await page.getByRole('button', { name: 'Rename Laptop CLI' }).click();
    await page.getByLabel('New name for Laptop CLI').fill('Work laptop CLI');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('row', { name: /Work laptop CLI/ });
    await row.waitFor();

    await row.getByRole('button', { name: 'Rotate Work laptop CLI' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate token' }).click();
    await page.getByRole('heading', { name: 'New secret for “Work laptop CLI”' }).waitFor();
    const second = (await page.getByLabel('The new secret').textContent())!;
    expect(second).not.toBe(first);
    expect((await me(first)).status).toBe(401);

    await row.getByRole('button', { name: 'Pair code for Work laptop CLI' }).click();
    const pairing = page.getByRole('region', { name: 'Pairing code for “Work laptop CLI”' });
    await pairing.waitFor();
    expect(await pairing.innerText()).toMatch(/Type it on the device: [A-Z0-9-]+\n+\d+:\d\d left/);
    await closePage(page);
  });

  it('creates a camera token with a ready <img src>, and revokes it', async () => {
    const { user, password } = await s.t.factory.user();
    const page = await openConsole(s.browser, `${s.baseUrl}/account/long-lived-tokens`);
    await signIn(page, user.username, password);
    await page.getByText(`Signed in as ${user.username}`).waitFor();
    await page.getByText('No long-lived tokens yet. Create one above.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Kitchen tablet');
    expect(await page.getByLabel('Scope').inputValue()).toBe('camera.stream');
    await page.getByLabel('Lifetime in days').fill('7');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByLabel('The new secret').textContent())!;
    expect(token).toMatch(/^pgl_/);
    const snippet = `<img src="${s.baseUrl}/api/cameras/1/stream?access_token=${token}" alt="Front door">`;
    await page.getByText(snippet).waitFor();
    await page.getByRole('button', { name: 'Copy Front door' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    const snapshot = await fetch(`${s.baseUrl}/api/cameras/1/snapshot?access_token=${token}`);
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    await expectAccessible(page);

    const row = page.getByRole('row', { name: /Kitchen tablet/ });
    expect((await row.getByRole('cell').allTextContents()).slice(0, 5)).toEqual([
      'Kitchen tablet',
      `pgl_${token.slice(4, 12)}…`,
      'camera.stream',
      'active',
      'in 7 days',
    ]);
    await row.getByRole('button', { name: 'Revoke Kitchen tablet' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await fetch(`${s.baseUrl}/api/cameras/1/snapshot?access_token=${token}`);
    expect(refused.status).toBe(401);
    await closePage(page);
  });

  it('shows where you are signed in and signs another session out', async () => {
    const created = await s.t.factory.user();
    const elsewhere = await s.t.factory.login(created);
    const page = await openConsole(s.browser, `${s.baseUrl}/account/sessions`);
    await signIn(page, created.user.username, created.password);
    await page.getByText(`Signed in as ${created.user.username}`).waitFor();
    const other = page.getByRole('row', { name: new RegExp(`pgs_${elsewhere.slice(4, 12)}`) });
    await other.waitFor();
    expect(await page.getByRole('row').count()).toBe(3);
    expect(await page.getByText('this session').count()).toBe(1);
    await expectAccessible(page);
    await other
      .getByRole('button', { name: `Sign out the session pgs_${elsewhere.slice(4, 12)}` })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out session' }).click();
    await other.waitFor({ state: 'detached' });
    expect((await me(elsewhere)).status).toBe(401);
    // The search asks the server: this browser's session matches by its user agent.
    await page.getByLabel('Browser or address').fill('chrome');
    await page.getByText('this session').waitFor();
    await page.getByLabel('Browser or address').fill('no such browser');
    await page.getByText('No session matches this search.').waitFor();
    await closePage(page);
  });

  it('searches every device, not only the page on screen', async () => {
    const { user, password } = await s.t.factory.user();
    await mintDeviceToken(s.t, user.id, { identifier: 'garage-tv', deviceName: 'Garage TV' });
    s.t.clock.advanceSeconds(1);
    for (let n = 1; n <= 26; n++) {
      await mintDeviceToken(s.t, user.id, { identifier: `filler-${n}`, deviceName: `Filler ${n}` });
    }
    const page = await openConsole(s.browser, `${s.baseUrl}/account/devices`);
    await signIn(page, user.username, password);
    // A full first page of fillers (made in the same second: their order among themselves is
    // by id, so which 25 is not fixed).
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(25);
    // The oldest device is on the second page: the search finds it from the first.
    expect(await page.getByRole('row', { name: /Garage TV/ }).count()).toBe(0);
    await page.getByLabel('Name or identifier').fill('GARAGE');
    await page.getByRole('row', { name: /Garage TV/ }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Name or identifier').fill('no such device');
    await page.getByText('No device matches this search.').waitFor();
    await closePage(page);
  });

  it('lists, renames and forgets a paired device, and shows the security log', async () => {
    const { user, password } = await s.t.factory.user();
    const session = await s.t.factory.login({ user, password });
    const init = await fetch(`${s.baseUrl}/api/auth/device/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_device_identifier: 'kiosk-1',
        client_name: 'Kiosk',
        device_name: 'Hall kiosk',
        scopes: ['me.read'],
      }),
    }).then((r) => r.json() as Promise<{ user_code: string; device_code: string }>);
    await fetch(`${s.baseUrl}/api/auth/device/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
      body: JSON.stringify({ user_code: init.user_code }),
    });
    // The device collects its token: that is when it is paired.
    const collected = await fetch(`${s.baseUrl}/api/auth/device/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_code: init.device_code }),
    });
    expect(collected.status).toBe(200);

    const page = await openConsole(s.browser, `${s.baseUrl}/account/devices`);
    await signIn(page, user.username, password);
    await page.getByText(`Signed in as ${user.username}`).waitFor();
    const row = page.getByRole('row', { name: /Hall kiosk/ });
    await row.waitFor();
    expect(await row.getByRole('link').textContent()).toBe('1 active token');
    await expectAccessible(page);
    await row.getByRole('button', { name: 'Rename Hall kiosk' }).click();
    await page.getByLabel('New name for Hall kiosk').fill('Front hall kiosk');
    await page.getByRole('button', { name: 'Save' }).click();
    const renamed = page.getByRole('row', { name: /Front hall kiosk/ });
    await renamed.getByRole('button', { name: 'Forget Front hall kiosk' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Forget device' }).click();
    await page
      .getByText('No devices yet. Pair one from its pairing screen at /pair/device.')
      .waitFor();

    await page.getByRole('link', { name: 'Security log' }).click();
    await page.getByRole('cell', { name: 'device.delete' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'security-log');
    // The filters ask the server, over the whole log: only sign-ins are left.
    await page.getByLabel('What').selectOption({ label: 'Sign-ins' });
    await page.getByRole('cell', { name: 'device.delete' }).waitFor({ state: 'detached' });
    const actions = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((action) => action.startsWith('auth.'))).toBe(true);
    await page.getByLabel('Outcome').selectOption('denied');
    await page.getByText('No event of your account matches these filters.').waitFor();
    await closePage(page);
  });
});
