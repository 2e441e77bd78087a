import type { Response } from 'supertest';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { DeviceTokensService } from '../../src/client-tokens/device-tokens.service.js';
import { Transactions } from '../../src/common/database/transactions.js';
import type { TestApp } from './test-app.js';

export interface CreatedToken {
  id: string;
  raw: string;
  body: Record<string, unknown>;
}

/** Creates a client token through the API with a login session. */
export async function createToken(
  t: TestApp,
  session: string,
  body: Record<string, unknown> = {},
): Promise<CreatedToken> {
  const res = await t
    .http()
    .post('/api/client-tokens')
    .auth(session, { type: 'bearer' })
    .send({ name: 'test token', scopes: ['me.read', 'tokens.read'], ...body })
    .expect(201);
  return { id: res.body.id as string, raw: res.body.access_token as string, body: res.body };
}

/** A token bound to a device, minted the way the device flow mints it. */
export async function mintDeviceToken(
  t: TestApp,
  userId: string,
  options: {
    identifier?: string;
    deviceName?: string | null;
    scopes?: string[];
    expiresAt?: Date | null;
  } = {},
) {
  return t.app.get(Transactions).run((manager) =>
    t.app.get(DeviceTokensService).mintForDevice(manager, {
      userId,
      device: {
        clientDeviceIdentifier: options.identifier ?? 'tv-1',
        name: options.deviceName ?? null,
        client: 'Playnite',
        platform: 'android-tv',
        clientVersion: '1.0.0',
      },
      name: 'device token',
      scopes: options.scopes ?? ['me.read', 'devices.read', 'devices.write', 'tokens.read'],
      expiresAt: options.expiresAt ?? null,
    }),
  );
}

export function get(t: TestApp, path: string, token: string) {
  return t.http().get(path).auth(token, { type: 'bearer' });
}

export async function auditEvents(
  t: TestApp,
  action: string,
  targetId?: string,
): Promise<AuditEvent[]> {
  await t.sealAudit();
  return t.db
    .getRepository(AuditEvent)
    .find({ where: { action, ...(targetId ? { targetId } : {}) }, order: { id: 'ASC' } });
}

export function expectError(res: Response, status: number, error: string): void {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
}
