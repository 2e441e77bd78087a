import { readFileSync } from 'node:fs';
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

describe.runIf(browserAvailable)('the admin console in Chromium', () => {
  let s: ConsoleServer;
  let admin: { username: string; password: string };
  beforeAll(async () => {
    s = await startConsoleServer();
    const created = await s.t.factory.user({ role: 'admin', username: 'ada' });
    admin = { username: created.user.username, password: created.password };
  });
  afterAll(() => s?.close());

  async function asAdmin(path: string) {
    const page = await openConsole(s.browser, `${s.baseUrl}${path}`);
    await signIn(page, admin.username, admin.password);
    await page.getByText(`Signed in as ${admin.username}`).waitFor();
    return page;
  }

  it("revokes another user's token and finds the events on the audit page", async () => {
    const bob = await s.t.factory.session({ username: 'bob' });
    const created = await fetch(`${s.baseUrl}/api/client-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bob.token}` },
      body: JSON.stringify({ name: 'NAS backup', scopes: ['me.read'] }),
    }).then((r) => r.json() as Promise<{ id: string; access_token: string }>);

    const page = await asAdmin('/admin');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const counts = page.getByRole('list', { name: 'Counts' });
    await counts.waitFor();
    expect(await counts.innerText()).toMatch(/\b1\s+active client tokens/);
    await expectAccessible(page);
    await screenshot(page, 'admin-dashboard');

    await page.getByRole('link', { name: 'Tokens', exact: true }).click();
    const row = page.getByRole('row', { name: /NAS backup/ });
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual([
      'bob',
      'NAS backup',
      `pgc_${created.access_token.slice(4, 12)}…`,
      'me.read',
    ]);
    await expectAccessible(page);
    await row.getByRole('button', { name: "Revoke bob's NAS backup" }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('No token matches these filters.').waitFor();
    const refused = await fetch(`${s.baseUrl}/api/users/me`, {
      headers: { authorization: `Bearer ${created.access_token}` },
    });
    expect(refused.status).toBe(401);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action (or prefix ending in .)').fill('client_token.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const revokedEvent = page.getByRole('row', { name: /client_token\.admin_revoke/ });
    await revokedEvent.waitFor();
    const cells = await revokedEvent.getByRole('cell').allTextContents();
    expect(cells.slice(2, 6)).toEqual([
      'client_token.admin_revoke',
      'success',
      'ada (session)',
      `client_token ${created.id}`,
    ]);
    expect(
      await page
        .getByRole('row', { name: /client_token\.create/ })
        .getByRole('cell')
        .nth(4)
        .textContent(),
    ).toBe('bob (session)');

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    const verdict = page.getByRole('region', { name: 'Chain verification' }).getByRole('status');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(
      /^The log is intact: all \d+ events from #1 to #\d+ link up and match the signed head\.$/,
    );
    await expectAccessible(page);
    await screenshot(page, 'admin-audit');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toContain('action');
    expect(csv).toContain('client_token.admin_revoke');
    expect(csv).not.toContain('auth.login');
    await closePage(page);
  });

  it('creates a user, makes them admin, disables them', async () => {
    const page = await asAdmin('/admin/users');
    await page.getByLabel('Username', { exact: true }).fill('carol');
    await page.getByLabel('Initial password').fill('carol-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    // Hashing the password takes a while on a busy machine; a refusal would show as an alert.
    const answer = page.getByRole('alert').or(page.getByText('User “carol” created.'));
    await answer.waitFor({ timeout: 25_000 });
    expect(await answer.textContent()).toBe('User “carol” created.');
    await expectAccessible(page);
    const row = page.getByRole('row', { name: /carol/ });
    await row.getByRole('button', { name: 'Make admin: carol' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Make admin' }).click();
    await page.getByText('carol is now an admin.').waitFor();
    await row.getByRole('button', { name: 'Disable carol' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable user' }).click();
    await page.getByText('carol is disabled.').waitFor();
    // The notice comes with the answer; the row with the list's reload after it.
    await row.getByRole('cell', { name: 'disabled', exact: true }).waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual([
      'carol',
      'none',
      'admin',
      'disabled',
    ]);
    const login = await fetch(`${s.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'carol', password: 'carol-password' }),
    });
    expect(login.status).toBe(401);
    await closePage(page);
  });

  it('registers an OAuth client, narrows its scopes and deletes it', async () => {
    const page = await asAdmin('/admin/oauth-clients');
    await page.getByText('No client is registered yet.').waitFor();
    await page.getByLabel('Client id (optional)').fill('living-room-tv');
    await page.getByLabel('Display name').fill('Living-room TV app');
    await page.getByLabel('Read your profile me.read').check();
    await page.getByLabel('List your paired devices devices.read').check();
    await page.getByRole('button', { name: 'Register client' }).click();
    const row = page.getByRole('row', { name: /living-room-tv/ });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('me.read, devices.read');
    await expectAccessible(page);

    await row.getByRole('button', { name: 'Edit scopes of living-room-tv' }).click();
    await row.getByLabel('List your paired devices devices.read').uncheck();
    await row.getByRole('button', { name: 'Save scopes' }).click();
    await row.getByRole('cell', { name: 'me.read', exact: true }).waitFor();

    await row.getByRole('button', { name: 'Delete living-room-tv' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete client' }).click();
    await page.getByText('No client is registered yet.').waitFor();

    // A resource server: confidential, and allowed to introspect (only then can it be).
    await page.getByLabel('Client id (optional)').fill('photos-api');
    await page.getByLabel('Display name').fill('Photo service');
    await page.getByLabel('Read your profile me.read').check();
    expect(await page.getByLabel('May introspect tokens').isDisabled()).toBe(true);
    await page.getByLabel('Confidential: give it a secret it must present').check();
    await page.getByLabel('May introspect tokens').check();
    await page.getByRole('button', { name: 'Register client' }).click();
    const api = page.getByRole('row', { name: /photos-api/ });
    await api.getByRole('cell', { name: 'confidential, may introspect' }).waitFor();

    // The search asks the server: by display name, then nothing.
    await page.getByLabel('Client id or name').fill('photo service');
    await page.getByRole('row', { name: /photos-api/ }).waitFor();
    await page.getByLabel('Client id or name').fill('nothing-like-it');
    await page.getByText('No client matches this search.').waitFor();
    await closePage(page);
  });

  it('gives a client a new secret, then makes it public', async () => {
    /** Asks /oauth/introspect as the client (client_secret_post): 200 only for its live secret. */
    const introspectAs = (secret: string) =>
      fetch(`${s.baseUrl}/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: 'thermostat-hub',
          client_secret: secret,
          token: 'pgc_not-a-token',
        }).toString(),
      });

    const page = await asAdmin('/admin/oauth-clients');
    await page.getByLabel('Client id (optional)').fill('thermostat-hub');
    await page.getByLabel('Display name').fill('Thermostat hub');
    await page.getByLabel('Read your profile me.read').check();
    await page.getByLabel('Confidential: give it a secret it must present').check();
    await page.getByLabel('May introspect tokens').check();
    await page.getByRole('button', { name: 'Register client' }).click();
    await page.getByRole('heading', { name: 'Secret of “Thermostat hub”', exact: true }).waitFor();
    const first = (await page.getByLabel('The new secret').textContent()) ?? '';
    const row = page.getByRole('row', { name: /thermostat-hub/ });
    await row.getByRole('cell', { name: 'confidential, may introspect' }).waitFor();
    expect((await introspectAs(first)).status).toBe(200);

    await row.getByRole('button', { name: 'New secret for thermostat-hub' }).click();
    const ask = page.getByRole('dialog');
    expect(await ask.getByRole('heading').textContent()).toBe(
      'Give “thermostat-hub” a new secret?',
    );
    expect(await ask.textContent()).toContain('Its current secret stops working at once');
    await expectAccessible(page);
    await ask.getByRole('button', { name: 'Issue new secret' }).click();
    await page
      .getByRole('heading', { name: 'New secret of “Thermostat hub”', exact: true })
      .waitFor();
    // Shown once, in place of the first one.
    expect(await page.getByLabel('The new secret').count()).toBe(1);
    const second = (await page.getByLabel('The new secret').textContent()) ?? '';
    expect(second).toMatch(/^pgx_/);
    expect(second).not.toBe(first);
    await expectAccessible(page);
    expect((await introspectAs(first)).status).toBe(401);
    const answer = await introspectAs(second);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ active: false });

    await row.getByRole('button', { name: 'Make public: thermostat-hub' }).click();
    const confirm = await page.getByRole('dialog').textContent();
    expect(confirm).toContain('Its secret stops working');
    expect(confirm).toContain('no longer shown as verified');
    expect(confirm).toContain('can no longer call /oauth/introspect');
    await page.getByRole('dialog').getByRole('button', { name: 'Make public' }).click();
    await page.getByText('“thermostat-hub” is now a public client.').waitFor();
    await row.getByRole('cell', { name: 'public', exact: true }).waitFor();
    // The secret on screen no longer works, so it is gone; a public client has nothing to remove.
    expect(await page.getByLabel('The new secret').count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Make public: thermostat-hub' }).count()).toBe(0);
    expect((await introspectAs(second)).status).toBe(401);

    // A public client given a secret is told it becomes confidential.
    await row.getByRole('button', { name: 'New secret for thermostat-hub' }).click();
    expect(await page.getByRole('dialog').textContent()).toContain(
      'This public client becomes confidential',
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Issue new secret' }).click();
    await row.getByRole('cell', { name: 'confidential', exact: true }).waitFor();
    const third = (await page.getByLabel('The new secret').textContent()) ?? '';
    expect(third).toMatch(/^pgx_/);
    await closePage(page);
  });

  it('opens one audit event from the log, and says when there is none', async () => {
    const erin = await s.t.factory.session({ username: 'erin' });
    const created = await fetch(`${s.baseUrl}/api/client-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${erin.token}` },
      body: JSON.stringify({ name: 'Garage door', scopes: ['me.read'] }),
    }).then((r) => r.json() as Promise<{ id: string }>);

    const page = await asAdmin('/admin/audit');
    await page.getByLabel('Action (or prefix ending in .)').fill('client_token.create');
    await page.getByLabel('Target id').fill(created.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The unfiltered page has other client_token.create rows: wait for the one event left.
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    const row = page.getByRole('row', { name: /client_token\.create/ });
    await row.waitFor();
    const id = (await row.getByRole('cell').first().textContent()) ?? '';
    expect(id).toMatch(/^\d+$/);
    await row.getByRole('link', { name: `Event ${id}` }).click();

    await page.getByRole('heading', { level: 1, name: `Audit event #${id}` }).waitFor();
    expect(page.url()).toBe(`${s.baseUrl}/admin/audit/${id}`);
    const facts = async (name: string) => {
      const list = page.getByRole('region', { name });
      // The heading comes from the address; the facts arrive with the event's fetch.
      await list.locator('dd').first().waitFor();
      const terms = await list.locator('dt').allTextContents();
      const values = await list.locator('dd').allTextContents();
      return Object.fromEntries(terms.map((term, i) => [term, values[i]]));
    };
    const what = await facts('What happened');
    expect(what).toMatchObject({
      Number: id,
      Action: 'client_token.create',
      Outcome: 'success',
      'Target type': 'client_token',
      'Target id': created.id,
    });
    const who = await facts('Who and from where');
    expect(who).toMatchObject({
      Actor: 'erin',
      'Actor user id': erin.user.id,
      'Token kind': 'session',
      'Device id': 'none',
      'IP address': '127.0.0.1',
    });
    const details = page.getByRole('region', { name: 'Details' }).locator('pre');
    expect(JSON.parse((await details.textContent()) ?? '')).toMatchObject({
      name: 'Garage door',
      scopes: ['me.read'],
    });
    const chain = await facts('Hash chain');
    expect(chain.Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chain['Previous hash']).toMatch(/^[0-9a-f]{64}$/);
    // What the page shows is what the API holds.
    const admin = await s.t.factory.session({ role: 'admin' });
    const event = await fetch(`${s.baseUrl}/api/admin/audit-events/${id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    }).then((r) => r.json() as Promise<{ hash: string; prev_hash: string }>);
    expect(chain.Hash).toBe(event.hash);
    expect(chain['Previous hash']).toBe(event.prev_hash);
    await expectAccessible(page);
    await screenshot(page, 'admin-audit-event');

    await page.getByRole('link', { name: 'Back to the audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();

    await page.goto(`${s.baseUrl}/admin/audit/99999999`);
    await page.getByText('No audit event #99999999').waitFor();
    expect(await page.locator('dl').count()).toBe(0);
    await expectAccessible(page);
    await closePage(page);
  });

  it('filters the audit log by the username of the actor', async () => {
    // Two users whose names share a prefix: the search finds both, the filter takes one.
    const names = ['frank', 'frankie'];
    const users: Array<{ user: { id: string } }> = [];
    for (const username of names) {
      const user = await s.t.factory.session({ username });
      await fetch(`${s.baseUrl}/api/client-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ name: `${username}'s laptop`, scopes: ['me.read'] }),
      });
      users.push(user);
    }

    const page = await asAdmin('/admin/audit');
    await page.locator('tbody tr').first().waitFor();
    const actor = page.getByLabel('Actor (username or user id)');
    /** The actor column's usernames, without the token kind ("frank (session)"). */
    const actors = async () =>
      new Set(
        (await page.locator('tbody tr td:nth-child(5)').allTextContents()).map((text) =>
          text.replace(/ \(.*\)$/, ''),
        ),
      );
    // Typed in capitals: usernames match regardless of case.
    await actor.fill('FRANK');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The unfiltered page holds frank's row too: wait for the filtered one to replace it.
    await expect.poll(actors, { timeout: 15_000 }).toEqual(new Set(['frank']));
    await page.getByRole('row', { name: /frank's laptop/ }).waitFor();
    expect(await page.getByText("frankie's laptop").count()).toBe(0);

    // A user id typed directly still works.
    await actor.fill(users[1].user.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(actors, { timeout: 15_000 }).toEqual(new Set(['frankie']));
    await page.getByRole('row', { name: /frankie's laptop/ }).waitFor();

    // Nobody by that name: said so, and no events at all rather than everyone's.
    await actor.fill('fran');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No user named “fran”').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('row', { name: /frankie's laptop/ }).waitFor();
    expect(await page.getByText('No user named').count()).toBe(0);
    await closePage(page);
  });

  it('passes axe-core on every signed-in page', async () => {
    const page = await asAdmin('/account/tokens');
    const pages: Array<[string, string]> = [
      ['/account/tokens', 'Client tokens'],
      ['/account/long-lived-tokens', 'Long-lived tokens'],
      ['/account/devices', 'Devices'],
      ['/account/sessions', 'Sessions'],
      ['/account/security-log', 'Security log'],
      ['/account/password', 'Password'],
      ['/admin', 'Dashboard'],
      ['/admin/users', 'Users'],
      ['/admin/tokens', 'Tokens'],
      ['/admin/devices', 'All devices'],
      ['/admin/oauth-clients', 'OAuth clients'],
      ['/admin/audit', 'Audit log'],
      ['/admin/audit/1', 'Audit event #1'],
      ['/no/such/page', 'Page not found'],
    ];
    for (const [path, title] of pages) {
      await page.goto(`${s.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      // Lists have loaded (or said they are empty) before the check.
      await page.locator('.loading').waitFor({ state: 'detached' });
      await expectAccessible(page);
    }
    await closePage(page);
  }, 120_000);

  it('never shows the admin menu to a non-admin', async () => {
    const { user, password } = await s.t.factory.user();
    const page = await openConsole(s.browser, `${s.baseUrl}/account/tokens`);
    await signIn(page, user.username, password);
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Client tokens' }).waitFor();
    expect(await nav.getByRole('heading').allTextContents()).toEqual(['My account']);
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Client tokens',
      'Long-lived tokens',
      'Devices',
      'Sessions',
      'Security log',
      'Password',
    ]);
    await page.goto(`${s.baseUrl}/admin/audit`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.getByText('Audit log').count()).toBe(0);
    await closePage(page);
  });
});
