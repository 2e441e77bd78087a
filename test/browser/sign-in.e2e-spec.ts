import { SetupService } from '../../src/users/setup.service.js';
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

describe.runIf(browserAvailable)('first run and signing in, in Chromium', () => {
  let s: ConsoleServer;
  beforeAll(async () => {
    s = await startConsoleServer();
  });
  afterAll(() => s?.close());

  it('creates the first admin from the printed setup link, then says setup is finished', async () => {
    const code = s.t.app.get(SetupService).pendingCode!;
    const page = await openConsole(s.browser, `${s.baseUrl}/setup?code=${code}`);
    await page.getByRole('heading', { name: 'Create the first admin' }).waitFor();
    expect(await page.getByLabel('Setup code').inputValue()).toBe(code);
    await expectAccessible(page);
    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Email (optional)').fill('root@example.com');
    await page.getByLabel('Password').fill('root-password');
    await screenshot(page, 'setup');
    await page.getByRole('button', { name: 'Create admin' }).click();
    // Signed straight in, on the admin pages.
    await page.getByText('Signed in as root').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
    ).toContain('Audit log');

    await page.goto(`${s.baseUrl}/setup`);
    await page.getByRole('heading', { name: 'Setup is finished' }).waitFor();
    await expectAccessible(page);
    await closePage(page);
  });

  it('signs in, refuses a wrong password in words, and signs out', async () => {
    const { user, password } = await s.t.factory.user();
    const page = await openConsole(s.browser, `${s.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to pairgate' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page);

    await signIn(page, user.username, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Wrong username or password');
    await screenshot(page, 'login-refused');

    await signIn(page, user.username, password);
    await page.getByText(`Signed in as ${user.username}`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/tokens');
    const token = await page.evaluate(() => sessionStorage.getItem('pairgate.session'));
    expect(token).toMatch(/^pgs_/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('pairgate.session'))).toBeNull();
    // The session is over on the server too.
    const me = await fetch(`${s.baseUrl}/api/users/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(401);
    await closePage(page);
  });

  it('sends an ended session to the login page, then back to the page wanted', async () => {
    const { user, password } = await s.t.factory.user();
    const page = await openConsole(s.browser, `${s.baseUrl}/account/devices`);
    await signIn(page, user.username, password);
    await page.getByRole('heading', { name: 'Devices', level: 1 }).waitFor();
    // The session ends elsewhere (revoked, expired): the next request gets a 401.
    const token = await page.evaluate(() => sessionStorage.getItem('pairgate.session'));
    await fetch(`${s.baseUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await page.getByRole('link', { name: 'Security log' }).click();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account/security-log');

    await signIn(page, user.username, password);
    await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/security-log');
    await closePage(page);
  });
});
