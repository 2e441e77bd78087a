import type { BenchContext, BenchRequest, BenchScenario } from '../bench-context.js';

/**
 * The bearer guard's hot path with device-bound client tokens (`pgc_`), minted through the
 * device flow as a TV would get them. Every request asks to record activity for its token
 * and its device; the debounce must keep the database at one device write per device per
 * 5 minutes. Triggers in the (throwaway) bench database count the rows actually written;
 * that needs MariaDB/MySQL (the SQLite bench handle is read-only), and is skipped otherwise.
 * BENCH_DEVICES sets how many devices the run rotates over.
 */
const DEVICES = Number(process.env.BENCH_DEVICES ?? 20);
// Approvals per user stay under the per-user user_code limit (10 a minute by default).
const DEVICES_PER_USER = 5;

let counting = false;
let paired = 0;
let startedAt = 0;

async function installWriteCounters(ctx: BenchContext): Promise<boolean> {
  try {
    await ctx.sql(
      'CREATE TABLE bench_writes (tbl VARCHAR(32) NOT NULL, row_id VARCHAR(36) NOT NULL, at DATETIME(6) NOT NULL)',
    );
    await ctx.sql(
      "CREATE TRIGGER bench_devices_au AFTER UPDATE ON devices FOR EACH ROW INSERT INTO bench_writes VALUES ('devices', NEW.id, NOW(6))",
    );
    await ctx.sql(
      "CREATE TRIGGER bench_client_tokens_au AFTER UPDATE ON client_tokens FOR EACH ROW INSERT INTO bench_writes VALUES ('client_tokens', NEW.id, NOW(6))",
    );
    return true;
  } catch {
    return false;
  }
}

async function mintDeviceToken(ctx: BenchContext, session: string, i: number): Promise<string> {
  const init = await ctx.api<{ device_code: string; user_code: string }>(
    'POST',
    '/api/auth/device/init',
    {
      body: {
        client_device_identifier: `bench-tv-${i}`,
        client_name: 'Bench TV',
        device_name: `Bench TV ${i}`,
        scopes: ['me.read'],
      },
    },
  );
  await ctx.api('POST', '/api/auth/device/approve', {
    token: session,
    body: { user_code: init.user_code },
  });
  const token = await ctx.api<{ access_token: string }>('POST', '/api/auth/device/token', {
    body: { device_code: init.device_code },
  });
  return token.access_token;
}

export const usersMeDeviceToken: BenchScenario = {
  name: 'GET /api/users/me (device-bound client token)',
  async prepare(ctx) {
    counting = await installWriteCounters(ctx);
    const tokens: string[] = [];
    try {
      for (let u = 0; u * DEVICES_PER_USER < DEVICES; u++) {
        const { token: session } = await ctx.userSession(`bench-devices-${u}`);
        for (let d = u * DEVICES_PER_USER; d < Math.min(DEVICES, (u + 1) * DEVICES_PER_USER); d++) {
          tokens.push(await mintDeviceToken(ctx, session, d));
        }
      }
    } catch (err) {
      // The per-IP user_code limit caps how many devices one address may approve a minute:
      // run with the devices paired so far rather than fail the whole benchmark.
      if (tokens.length === 0 || !String(err).includes('-> 429')) throw err;
    }
    paired = tokens.length;
    startedAt = Date.now();
    const requests: BenchRequest[] = tokens.map((token) => ({
      path: '/api/users/me',
      headers: { authorization: `Bearer ${token}` },
    }));
    return { requests };
  },
  async verify(ctx, run) {
    if (!counting) return `${paired} devices; write counting needs MySQL/MariaDB (skipped)`;
    // Activity writes are fire-and-forget: give the last ones a moment to land.
    await new Promise((r) => setTimeout(r, 500));
    const rows = await ctx.sql<{ tbl: string; writes: number | string; rows: number | string }>(
      'SELECT tbl, COUNT(*) AS writes, COUNT(DISTINCT row_id) AS `rows` FROM bench_writes GROUP BY tbl',
    );
    const count = (tbl: string) => rows.find((r) => r.tbl === tbl) ?? { writes: 0, rows: 0 };
    const devices = count('devices');
    const tokens = count('client_tokens');
    const seconds = (Date.now() - startedAt) / 1000;
    const deviceLimit = paired * Math.ceil(seconds / 300);
    const tokenLimit = paired * Math.ceil(seconds / 60);
    const ok = Number(devices.writes) <= deviceLimit ? 'within' : 'OVER';
    return (
      `${paired} devices, ${Math.round(run.requests)} requests in the measured run (plus warm-up), ${seconds.toFixed(0)} s in all: ` +
      `${Number(devices.writes)} device row writes on ${Number(devices.rows)} devices (${ok} the limit of ${deviceLimit}: one per device per 5 min), ` +
      `${Number(tokens.writes)} token row writes (limit ${tokenLimit}: one per token per minute)`
    );
  },
};
