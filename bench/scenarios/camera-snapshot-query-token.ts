import type { BenchScenario } from '../bench-context.js';

let tokenId = '';

/**
 * The long-lived token path an `<img src>` takes: `?access_token=pgl_…` on a route that opts
 * in, the `camera.stream` scope check, and a JPEG body (the demo camera's current frame,
 * shared by every request in the same frame slot). Target: >= 0.3 of /health/live on MySQL.
 */
export const cameraSnapshotQueryToken: BenchScenario = {
  name: 'GET /api/cameras/1/snapshot?access_token= (long-lived token)',
  async prepare(ctx) {
    const { token: session } = await ctx.userSession('bench-camera');
    const created = await ctx.api<{ id: string; access_token: string }>(
      'POST',
      '/api/long-lived-tokens',
      {
        token: session,
        body: { name: 'Bench camera card', expires_in_days: 30 },
      },
    );
    tokenId = created.id;
    return { requests: [{ path: `/api/cameras/1/snapshot?access_token=${created.access_token}` }] };
  },
  async verify(ctx) {
    const [row] = await ctx.sql<{ last_used_at: unknown }>(
      'SELECT last_used_at FROM long_lived_tokens WHERE id = ?',
      [tokenId],
    );
    return row?.last_used_at
      ? 'last_used_at recorded (debounced: at most one write a minute)'
      : 'last_used_at was not recorded';
  },
};
