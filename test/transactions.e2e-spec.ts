import type { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner.js';
import { KeptConnections } from '../src/common/database/kept-connections.js';
import { Transactions } from '../src/common/database/transactions.js';
import { chainedEventCount, initDevice, RELAXED_LIMITS } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const isMysql = () => (process.env.TEST_DATABASE_URL ?? '').startsWith('mysql');

describe("a group commit's transactions (Transactions.runBatch)", () => {
  let t: TestApp;
  let transactions: Transactions;
  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
    transactions = t.app.get(Transactions);
    await t.db.query('CREATE TABLE batch_probe (id INTEGER PRIMARY KEY)');
  });
  afterAll(() => t?.close());

  const stored = async (id: number) =>
    ((await t.db.query(`SELECT id FROM batch_probe WHERE id = ${id}`)) as unknown[]).length;

  it('commits what a batch writes together, and runs its onCommit steps before returning', async () => {
    const done: string[] = [];
    await transactions.runBatch(async (manager) => {
      await manager.query('INSERT INTO batch_probe (id) VALUES (1), (2)');
      transactions.onCommit(manager, async () => {
        done.push(`committed: ${await stored(2)}`);
      });
    });
    expect(done).toEqual(['committed: 1']);
    expect(await stored(1)).toBe(1);
  });

  it('writes nothing of a batch that fails, runs its onRollback steps, and the next one commits', async () => {
    const undone: string[] = [];
    await expect(
      transactions.runBatch(async (manager) => {
        await manager.query('INSERT INTO batch_probe (id) VALUES (10)');
        transactions.onRollback(manager, () => undone.push('forgotten'));
        await manager.query('INSERT INTO batch_probe (id) VALUES (10)');
      }),
    ).rejects.toThrow();
    expect(undone).toEqual(['forgotten']);
    expect(await stored(10)).toBe(0);

    await transactions.runBatch((manager) =>
      manager.query('INSERT INTO batch_probe (id) VALUES (11)'),
    );
    // Read on another connection: committed, not left in an open transaction.
    expect(await stored(11)).toBe(1);
  });

  describe.runIf(isMysql())('on MariaDB', () => {
    const connectionId = async (manager: { query(sql: string): Promise<unknown> }) =>
      Number(
        ((await manager.query('SELECT CONNECTION_ID() AS id')) as Array<{ id: unknown }>)[0].id,
      );

    it('sends no START TRANSACTION: a device authorization commits in one round trip fewer', async () => {
      const query = vi.spyOn(MysqlQueryRunner.prototype, 'query');
      try {
        const before = await chainedEventCount(t, 'device_flow.init');
        const { device_code } = await initDevice(t);
        const statements = query.mock.calls.map(([sql]) => sql);
        expect(statements.filter((sql) => /^START TRANSACTION/i.test(sql))).toEqual([]);
        expect(statements.filter((sql) => /^COMMIT/i.test(sql)).length).toBeGreaterThan(0);
        expect(device_code).toEqual(expect.any(String));
        expect(await chainedEventCount(t, 'device_flow.init')).toBe(before + 1);
      } finally {
        query.mockRestore();
      }
    });

    it('never hands out a kept connection the server closed (a restart, wait_timeout)', async () => {
      const first = await transactions.runBatch(connectionId);
      await t.db.query(`KILL CONNECTION ${first}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await transactions.runBatch(async (manager) => {
        await manager.query('INSERT INTO batch_probe (id) VALUES (20)');
        return connectionId(manager);
      });
      expect(second).not.toBe(first);
      expect(await stored(20)).toBe(1);
      await initDevice(t);
    });

    it('gives an idle connection back to the pool with autocommit on', async () => {
      const single = new DataSource({
        ...t.db.options,
        extra: { ...(t.db.options as { extra?: object }).extra, connectionLimit: 1 },
        migrations: [],
        migrationsRun: false,
      } as typeof t.db.options);
      await single.initialize();
      try {
        // A pool of one is too small to keep any from (the rest of the service would wait).
        expect(await new KeptConnections(single).take()).toBeNull();
        const kept = new KeptConnections(single, 50, 1);
        const runner = (await kept.take())!;
        const autocommit = async (source: { query(sql: string): Promise<unknown> }) =>
          Number(((await source.query('SELECT @@autocommit AS a')) as Array<{ a: unknown }>)[0].a);
        expect(await autocommit(runner)).toBe(0);
        const id = await connectionId(runner);
        const connection = (runner as unknown as { databaseConnection: EventEmitter })
          .databaseConnection;
        await runner.query('COMMIT');
        kept.give(runner);
        expect(kept.size).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(kept.size).toBe(0);
        // Only the pool's own listeners: kept again and again, it gathers none of ours.
        expect([connection.listenerCount('end'), connection.listenerCount('error')]).toEqual([
          1, 1,
        ]);
        // The pool's one connection is that same one, back in autocommit.
        expect(await connectionId(single)).toBe(id);
        expect(await autocommit(single)).toBe(1);
      } finally {
        await single.destroy();
      }
    });
  });
});
