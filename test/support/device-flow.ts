import type { TestApp } from './test-app.js';

/** Generous limits, for files that are not about the limits. */
export const RELAXED_LIMITS = {
  DEVICE_INIT_RATE_LIMIT_PER_IP: '100000',
  DEVICE_TOKEN_RATE_LIMIT_PER_IP: '100000',
  DEVICE_USER_CODE_RATE_LIMIT: '100000',
};

export interface InitBody {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  qr_url: string;
  expires_in: number;
  interval: number;
}

let seq = 0;

export async function initDevice(
  t: TestApp,
  body: Record<string, unknown> = {},
): Promise<InitBody> {
  const res = await t
    .http()
    .post('/api/auth/device/init')
    .send({
      client_device_identifier: `device-${++seq}`,
      client_name: 'Test TV',
      platform: 'tv-os',
      client_version: '1.0.0',
      scopes: ['me.read', 'devices.read'],
      ...body,
    })
    .expect(200);
  return res.body as InitBody;
}

export function poll(t: TestApp, deviceCode: string, extra: Record<string, unknown> = {}) {
  return t
    .http()
    .post('/api/auth/device/token')
    .send({ device_code: deviceCode, ...extra });
}

export function approve(t: TestApp, token: string, body: Record<string, unknown>) {
  return t
    .http()
    .post('/api/auth/device/approve')
    .set('authorization', `Bearer ${token}`)
    .send(body);
}

export function deny(t: TestApp, token: string, userCode: string) {
  return t
    .http()
    .post('/api/auth/device/deny')
    .set('authorization', `Bearer ${token}`)
    .send({ user_code: userCode });
}

export function pending(t: TestApp, token: string, userCode: string) {
  return t
    .http()
    .get('/api/auth/device/pending')
    .query({ user_code: userCode })
    .set('authorization', `Bearer ${token}`);
}

export async function auditEvents(
  t: TestApp,
  action: string,
): Promise<
  Array<{
    action: string;
    target_id: string | null;
    actor_user_id: string | null;
    outcome: string;
    ip: string | null;
    details: Record<string, unknown> | null;
  }>
> {
  await t.sealAudit();
  const rows: Array<Record<string, string | null>> = await t.db.query(
    'SELECT action, target_id, actor_user_id, outcome, ip, details FROM audit_events WHERE action = ? ORDER BY id',
    [action],
  );
  return rows.map((row) => ({
    action: row.action!,
    target_id: row.target_id,
    actor_user_id: row.actor_user_id,
    outcome: row.outcome!,
    ip: row.ip,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  }));
}

/** How many `action` events the chain holds now, without sealing anything first. */
export async function chainedEventCount(t: TestApp, action: string): Promise<number> {
  const [row]: Array<{ n: number | string }> = await t.db.query(
    'SELECT COUNT(*) AS n FROM audit_events WHERE action = ?',
    [action],
  );
  return Number(row.n);
}

/** The chain's positions in order, and whether they run without a gap or a repeat. */
export async function chainPositions(t: TestApp): Promise<{ ids: number[]; consecutive: boolean }> {
  const rows: Array<{ id: number | string }> = await t.db.query(
    'SELECT id FROM audit_events ORDER BY id',
  );
  const ids = rows.map((row) => Number(row.id));
  return { ids, consecutive: ids.every((id, i) => i === 0 || id === ids[i - 1] + 1) };
}
