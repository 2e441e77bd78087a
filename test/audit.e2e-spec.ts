import { AuditChainHead, AuditEvent } from '../src/audit/audit-event.entity.js';
import { AuditService } from '../src/audit/audit.service.js';
import { Transactions } from '../src/common/database/transactions.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the audit log', () => {
  let t: TestApp;
  let audit: AuditService;
  beforeAll(async () => {
    t = await createTestApp();
    audit = t.app.get(AuditService);
  });
  afterAll(() => t?.close());

  it('keeps one unbroken chain under concurrent writers', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => t.factory.user()));
    await Promise.all(
      users.flatMap((u) =>
        Array.from({ length: 5 }, () =>
          t
            .http()
            .post('/api/auth/login')
            .send({ username: u.user.username, password: u.password })
            .expect(200),
        ),
      ),
    );
    const events = await t.db.getRepository(AuditEvent).find({ order: { id: 'ASC' } });
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(await audit.verify()).toMatchObject({ ok: true, checked: events.length });
  });

  it('commits an event with its change or not at all', async () => {
    const before = await t.db.getRepository(AuditEvent).count();
    await expect(
      t.app.get(Transactions).run(async (manager) => {
        await audit.record(manager, { action: 'test.rolled_back' });
        throw new Error('the change failed after its audit event was written');
      }),
    ).rejects.toThrow(/the change failed/);
    expect(await t.db.getRepository(AuditEvent).count()).toBe(before);
    expect(await t.db.getRepository(AuditEvent).countBy({ action: 'test.rolled_back' })).toBe(0);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('detects an edited event', async () => {
    const { token } = await t.factory.session();
    await t.http().post('/api/auth/logout').auth(token, { type: 'bearer' }).expect(204);
    const victim = await t.db.getRepository(AuditEvent).findOneByOrFail({ action: 'auth.logout' });
    await t.db.getRepository(AuditEvent).update({ id: victim.id }, { ip: '203.0.113.9' });
    expect(await audit.verify()).toMatchObject({
      ok: false,
      brokenAt: victim.id,
      reason: 'event was altered',
    });
    await t.db.getRepository(AuditEvent).update({ id: victim.id }, { ip: victim.ip });
    expect((await audit.verify()).ok).toBe(true);
  });

  it('detects deleted events, including the newest', async () => {
    await t.factory.session();
    const head = await t.db.getRepository(AuditChainHead).findOneByOrFail({ id: 1 });
    const last = await t.db.getRepository(AuditEvent).findOneByOrFail({ id: head.lastId });
    await t.db.getRepository(AuditEvent).delete({ id: last.id });
    expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: last.id });
    await t.db.getRepository(AuditEvent).insert(last);
    expect((await audit.verify()).ok).toBe(true);
  });
});
