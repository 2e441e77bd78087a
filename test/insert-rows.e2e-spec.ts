import { randomBytes, randomUUID } from 'node:crypto';
import { insertRows } from '../src/common/database/insert-rows.js';
import { DeviceAuthorization } from '../src/device-flow/device-authorization.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';

function authorization(i: number, overrides: Partial<DeviceAuthorization> = {}) {
  const createdAt = new Date(Date.UTC(2026, 10, 30, 12, 0, i % 60));
  return Object.assign(new DeviceAuthorization(), {
    id: randomUUID(),
    deviceCodeHash: randomBytes(32).toString('hex'),
    userCode: `R${String(i).padStart(7, '0')}`,
    status: 'pending',
    clientId: i % 2 ? 'tv-app' : null,
    clientName: null,
    clientDeviceIdentifier: `device-${i}`,
    deviceName: `Kitchen "TV" ${i}, it's 'quoted' \\ and ünïcode`,
    platform: null,
    clientVersion: null,
    requestedScopes: 'me.read devices.read',
    grantedScopes: null,
    tokenName: null,
    tokenExpiresAt: null,
    intervalSeconds: 5,
    requestIp: '10.0.0.1',
    requestUserAgent: 'vitest',
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 600_000),
    userId: null,
    decidedAt: null,
    consumedAt: null,
    issuedTokenId: null,
    deviceId: null,
    clientAuthMethod: 'none',
    replayCount: 0,
    replaysAudited: 0,
    replayAuditedAt: null,
    ...overrides,
  } satisfies DeviceAuthorization);
}

describe('insertRows (the multi-row inserts of the hot write paths)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('stores every column as manager.insert would, over several statements for a large batch', async () => {
    // 1,200 rows of 31 columns: more placeholders than one statement takes.
    const rows = Array.from({ length: 1200 }, (_, i) => authorization(i));
    await t.db.transaction((manager) => insertRows(manager, DeviceAuthorization, rows));
    const repo = t.db.getRepository(DeviceAuthorization);
    expect(await repo.countBy({ requestIp: '10.0.0.1' })).toBe(1200);
    for (const row of [rows[0], rows[777], rows[1199]]) {
      expect(await repo.findOneByOrFail({ id: row.id })).toEqual(row);
    }
  });

  it('leaves a column it is not given to its default, through manager.insert', async () => {
    const row = authorization(5000);
    const partial = Object.assign(new DeviceAuthorization(), row, { replayCount: undefined });
    await t.db.transaction((manager) => insertRows(manager, DeviceAuthorization, [partial]));
    const stored = await t.db.getRepository(DeviceAuthorization).findOneByOrFail({ id: row.id });
    expect(stored.replayCount).toBe(0);
  });

  it('writes nothing when a row fails, with the rest of its transaction', async () => {
    const first = authorization(6000);
    const clash = authorization(6001, { userCode: first.userCode });
    await expect(
      t.db.transaction((manager) => insertRows(manager, DeviceAuthorization, [first, clash])),
    ).rejects.toThrow();
    expect(await t.db.getRepository(DeviceAuthorization).countBy({ id: first.id })).toBe(0);
  });
});
