import type { BenchScenario } from '../bench-context.js';

/**
 * Device authorization requests: one insert and its audit event per request, in one
 * transaction. The runner raises DEVICE_INIT_RATE_LIMIT_PER_IP so the limit does not answer.
 */
export const deviceFlowInit: BenchScenario = {
  name: 'POST /api/auth/device/init',
  async prepare() {
    return {
      requests: [
        {
          method: 'POST',
          path: '/api/auth/device/init',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            client_id: 'bench-tv',
            client_device_identifier: 'bench-device',
            client_name: 'Bench TV',
            scopes: ['me.read', 'devices.read'],
          }),
        },
      ],
    };
  },
  async verify(ctx, run) {
    const [row] = await ctx.sql<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM device_authorizations',
    );
    return `${Number(row.n)} device authorization requests stored (about ${Math.round(run.requests)} in the measured run, plus warm-up)`;
  },
};
