import type { BenchScenario } from '../bench-context.js';

/** The bearer guard's hot path with a login session. */
export const usersMeSession: BenchScenario = {
  name: 'GET /api/users/me (session)',
  async prepare(ctx) {
    const { token } = await ctx.userSession('bench-session');
    return { requests: [{ path: '/api/users/me', headers: { authorization: `Bearer ${token}` } }] };
  },
};
