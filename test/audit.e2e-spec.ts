import { AuditChainHead, AuditEvent, AuditPendingEvent } from '../src/audit/audit-event.entity.js';
import { AuditSealer } from '../src/audit/audit-sealer.js';
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
    expect(await t.db.getRepository(AuditPendingEvent).count()).toBe(0);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('has every event in the chain by the time the change is answered', async () => {
    const { user, password } = await t.factory.user();
    await t.http().post('/api/auth/login').send({ username: user.username, password }).expect(200);
    // Nothing waits in audit_pending: the login's event was sealed before the answer.
    expect(await t.db.getRepository(AuditPendingEvent).count()).toBe(0);
    const head = await t.db.getRepository(AuditChainHead).findOneByOrFail({ id: 1 });
    const last = await t.db.getRepository(AuditEvent).findOneByOrFail({ id: head.lastId });
    expect(last).toMatchObject({ action: 'auth.login', actorUserId: user.id });
  });

  it('refuses a pending row written without AUDIT_KEY, and records the refusal', async () => {
    const forged = await t.db.getRepository(AuditPendingEvent).save({
      createdAt: new Date('2026-01-01T00:00:00Z'),
      actorUserId: null,
      actorUsername: 'mallory',
      actorTokenKind: null,
      actorTokenId: null,
      actorDeviceId: null,
      action: 'user.promote',
      targetType: null,
      targetId: null,
      outcome: 'success',
      ip: null,
      userAgent: null,
      details: null,
      mac: 'f'.repeat(64),
    });
    await t.factory.session(); // any audited write seals what is pending
    expect(await t.db.getRepository(AuditEvent).countBy({ actorUsername: 'mallory' })).toBe(0);
    expect(await t.db.getRepository(AuditPendingEvent).count()).toBe(0);
    const refusal = await t.db
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'audit.pending_refused' });
    expect(refusal.outcome).toBe('failure');
    expect(JSON.parse(refusal.details!)).toMatchObject({ pending_ids: [forged.id] });
    expect((await audit.verify()).ok).toBe(true);
  });

  it('seals an event committed late after the ones committed before it', async (context) => {
    // Two write transactions open at once: MariaDB only (SQLite has one writer).
    if (t.db.options.type === 'better-sqlite3') return context.skip();
    const late = t.db.createQueryRunner();
    await late.connect();
    await late.startTransaction();
    try {
      // This transaction records first (the lower pending id) but commits last.
      await audit.record(late.manager, { action: 'test.committed_late' });
      const { user, password } = await t.factory.user();
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: user.username, password })
        .expect(200);
      await late.commitTransaction();
    } finally {
      await late.release();
    }
    await t.app.get(AuditSealer).seal();
    const lateEvent = await t.db
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'test.committed_late' });
    const login = await t.db
      .getRepository(AuditEvent)
      .findOne({ where: { action: 'auth.login' }, order: { id: 'DESC' } });
    expect(lateEvent.id).toBeGreaterThan(login!.id);
    expect(await audit.verify()).toMatchObject({ ok: true });
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
