import type { BenchScenario } from '../bench-context.js';

let eventsBefore = 0;

/**
 * An audited write: a person creates a client token with a login session. The token row and
 * its `client_token.create` event commit in one transaction, so this measures what every
 * audited change pays for the audit chain (issue 12 sets >= 2,000 req/s, p99 <= 50 ms).
 */
export const clientTokenCreate: BenchScenario = {
  name: 'POST /api/client-tokens (audited write)',
  async prepare(ctx) {
    const { token } = await ctx.userSession('bench-writer');
    const [row] = await ctx.sql<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'client_token.create'",
    );
    eventsBefore = Number(row.n);
    return {
      requests: [
        {
          method: 'POST',
          path: '/api/client-tokens',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'bench token', scopes: ['me.read'], expires_in_days: 1 }),
        },
      ],
    };
  },
  async verify(ctx) {
    const [row] = await ctx.sql<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'client_token.create'",
    );
    return `${Number(row.n) - eventsBefore} tokens created, each with its event (warm-up included)`;
  },
};
