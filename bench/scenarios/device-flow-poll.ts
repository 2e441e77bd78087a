import type { BenchContext, BenchRequest, BenchScenario } from '../bench-context.js';

/**
 * Token polls of pending device codes: what every waiting TV does every few seconds. The
 * codes are created in `prepare` and split between the connections, each cycling only its
 * own (as each TV polls its own code), so each code is polled far less often than its
 * interval and the answers are `authorization_pending`, not `slow_down` (both are 400s;
 * the scenario measures their cost). BENCH_DEVICE_CODES sets how many.
 */
const CODES = Number(process.env.BENCH_DEVICE_CODES ?? 20_000);
const PARALLEL = 32;

async function createCodes(ctx: BenchContext, count: number): Promise<string[]> {
  const codes: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < count) {
        const i = next++;
        const res = await ctx.api<{ device_code: string }>('POST', '/api/auth/device/init', {
          body: {
            client_device_identifier: `bench-poll-${i}`,
            client_name: 'Bench TV',
            scopes: ['me.read'],
          },
        });
        codes.push(res.device_code);
      }
    }),
  );
  return codes;
}

let pendingBefore = 0;

export const deviceFlowPoll: BenchScenario = {
  name: 'POST /api/auth/device/token (pending)',
  async prepare(ctx) {
    const codes = await createCodes(ctx, CODES);
    const [row] = await ctx.sql<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM device_authorizations WHERE status = 'pending'",
    );
    pendingBefore = Number(row.n);
    const requests: BenchRequest[] = codes.map((code) => ({
      method: 'POST',
      path: '/api/auth/device/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_code: code }),
    }));
    return { requests, perConnection: true };
  },
  async verify(ctx, run) {
    const [row] = await ctx.sql<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM device_authorizations WHERE status = 'pending'",
    );
    const changed = pendingBefore - Number(row.n);
    return `${CODES} pending codes; ${Math.round(run.requests)} polls in the measured run changed ${changed} rows (slow_down bookkeeping is in memory or Redis, never a row write)`;
  },
};
