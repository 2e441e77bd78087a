import type { BenchContext, BenchScenario } from '../bench-context.js';

const EVENTS = 1_000_000;
let seeded: { firstId: number; lastId: number } | null = null;

/**
 * 1,000,000 audit events, made by MariaDB itself (its `seq_1_to_N` sequence engine) in one
 * INSERT … SELECT: eight actions, 1,000 actors, 65,536 addresses, one failure in twenty,
 * one a second going back about 11 days. The rows' hashes are not a real chain (the bench
 * database's log does not verify); the head moves past them so the server keeps appending.
 */
async function seed(ctx: BenchContext): Promise<{ firstId: number; lastId: number }> {
  if (seeded) return seeded;
  // The server's sealer may still be chaining the previous scenario's last events: hold the
  // head (as the sealer does) so the seeded ids follow the last sealed one.
  await ctx.sql('START TRANSACTION');
  const [head] = await ctx.sql<{ last_id: number }>(
    'SELECT last_id FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  );
  const base = Number(head.last_id);
  const started = Date.now();
  await ctx.sql(
    `INSERT INTO audit_events (id, created_at, actor_user_id, actor_username, actor_token_kind,
       actor_token_id, actor_device_id, action, target_type, target_id, outcome, ip, user_agent,
       details, prev_hash, hash)
     SELECT ? + seq,
       TIMESTAMPADD(SECOND, CAST(seq AS SIGNED) - ${EVENTS}, UTC_TIMESTAMP()),
       CONCAT('00000000-0000-4000-8000-', LPAD(seq % 1000, 12, '0')),
       CONCAT('user', seq % 1000),
       ELT(1 + seq % 3, 'session', 'client', 'long_lived'),
       CONCAT('10000000-0000-4000-8000-', LPAD(seq % 5000, 12, '0')),
       IF(seq % 3 = 1, CONCAT('20000000-0000-4000-8000-', LPAD(seq % 2000, 12, '0')), NULL),
       ELT(1 + seq % 8, 'auth.login', 'auth.logout', 'client_token.create', 'client_token.revoke',
           'device.rename', 'device_flow.approve', 'long_lived_token.create', 'user.update'),
       'user', CONCAT('00000000-0000-4000-8000-', LPAD((seq * 7) % 1000, 12, '0')),
       IF(seq % 20 = 0, 'failure', 'success'),
       CONCAT('10.0.', (seq DIV 256) % 256, '.', seq % 256),
       'bench-agent/1.0', '{"bench":true}',
       SHA2(CAST(seq AS SIGNED) - 1, 256), SHA2(seq, 256)
     FROM seq_1_to_${EVENTS}`,
    [base],
  );
  await ctx.sql('UPDATE audit_chain_head SET last_id = ?, last_hash = SHA2(?, 256) WHERE id = 1', [
    base + EVENTS,
    EVENTS,
  ]);
  await ctx.sql('COMMIT');
  console.log(`  seeded ${EVENTS} audit events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  seeded = { firstId: base + 1, lastId: base + EVENTS };
  return seeded;
}

const SEEDED_BY_MARIADB = "the million events are made by MariaDB's seq_1_to_N";
const cursorAt = (id: number) => Buffer.from(`e${id}`).toString('base64url');
const auth = (ctx: BenchContext) => ({ authorization: `Bearer ${ctx.adminToken}` });

/** Target (issue 10): p99 under 50 ms on MariaDB over 1,000,000 events. */
export const auditListFirstPage: BenchScenario = {
  name: 'GET /api/admin/audit-events?action=… (1M events, first page)',
  needsMysql: SEEDED_BY_MARIADB,
  async prepare(ctx) {
    await seed(ctx);
    return {
      requests: [
        { path: '/api/admin/audit-events?action=client_token.create&limit=50', headers: auth(ctx) },
        {
          path: '/api/admin/audit-events?actor_user_id=00000000-0000-4000-8000-000000000417&limit=50',
          headers: auth(ctx),
        },
        { path: '/api/admin/audit-events?ip=10.0.12.34&limit=50', headers: auth(ctx) },
      ],
    };
  },
};

export const auditListDeepPage: BenchScenario = {
  name: 'GET /api/admin/audit-events?action=…&cursor=… (1M events, a page half-way down)',
  needsMysql: SEEDED_BY_MARIADB,
  async prepare(ctx) {
    const { firstId, lastId } = await seed(ctx);
    const middle = Math.floor((firstId + lastId) / 2);
    return {
      requests: [
        {
          path: `/api/admin/audit-events?action=device.rename&limit=50&cursor=${cursorAt(middle)}`,
          headers: auth(ctx),
        },
        {
          path: `/api/admin/audit-events?actor_user_id=00000000-0000-4000-8000-000000000417&limit=50&cursor=${cursorAt(middle)}`,
          headers: auth(ctx),
        },
        { path: `/api/admin/audit-events?limit=50&cursor=${cursorAt(middle)}`, headers: auth(ctx) },
      ],
    };
  },
};
