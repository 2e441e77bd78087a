import type { AuditService } from '../audit/audit.service.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import type { Transactions } from '../common/database/transactions.js';
import type { User } from '../users/user.entity.js';
import type { ClientToken, RetiredClientTokenSecret } from './client-token.entity.js';
import { ClientTokenKind } from './client-token.kind.js';
import type { ClientTokensRepository } from './client-tokens.repository.js';

const user = {
  id: 'u1',
  username: 'ann',
  email: null,
  role: 'user',
  disabledAt: null,
} as unknown as User;
const token = {
  id: 't1',
  userId: 'u1',
  deviceId: 'd1',
  name: 'tv',
  scopes: ['me.read', 'admin', 'gone.scope'],
  expiresAt: new Date('2030-01-01T00:00:00Z'),
  revokedAt: null,
  user,
} as unknown as ClientToken;

function setup(retired: RetiredClientTokenSecret | null = null) {
  const repo = {
    findActiveByHash: vi.fn(async (hash: string) => (hash === 'live' ? token : null)),
    findRetiredSecret: vi.fn(async () => retired),
    touch: vi.fn(async () => undefined),
  };
  const audit = { record: vi.fn(async () => ({})) };
  const transactions = { run: vi.fn((work: (m: unknown) => Promise<unknown>) => work({})) };
  const kinds = new TokenKindRegistry();
  const kind = new ClientTokenKind(
    repo as unknown as ClientTokensRepository,
    kinds,
    new ScopeRegistry(),
    audit as unknown as AuditService,
    transactions as unknown as Transactions,
  );
  kind.onModuleInit();
  return { kind, kinds, repo, audit };
}

const meta = { ip: '10.0.0.9', userAgent: 'curl' };

describe('ClientTokenKind', () => {
  it('registers pgc_ and resolves to effective scopes and the bound device', async () => {
    const { kind, kinds } = setup();
    expect(kinds.byLetter('c')).toBe(kind);
    const resolved = await kind.resolve('live', new Date());
    expect(resolved).toEqual({
      principal: {
        user: { id: 'u1', username: 'ann', email: null, role: 'user' },
        kind: 'client',
        tokenId: 't1',
        scopes: ['me.read'],
        deviceId: 'd1',
      },
      expiresAt: token.expiresAt,
    });
    expect(await kind.resolve('dead', new Date())).toBeNull();
  });

  it('audits a retired secret once a minute per token, with the ip', async () => {
    const retired = {
      tokenHash: 'old',
      tokenId: 't1',
      retiredAt: new Date('2026-01-01T00:00:00Z'),
      token,
    } as unknown as RetiredClientTokenSecret;
    const { kind, audit } = setup(retired);
    const t0 = new Date('2026-11-20T12:00:00Z');
    await kind.rejected('old', t0, meta);
    await kind.rejected('old', new Date(t0.getTime() + 59_000), meta);
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      {},
      expect.objectContaining({
        action: 'client_token.reuse_after_rotation',
        outcome: 'denied',
        target: { type: 'client_token', id: 't1' },
        meta,
      }),
    );
    await kind.rejected('old', new Date(t0.getTime() + 61_000), meta);
    expect(audit.record).toHaveBeenCalledTimes(2);
  });

  it('records nothing for a hash that was never a secret of a client token', async () => {
    const { kind, audit } = setup(null);
    await kind.rejected('unknown', new Date(), meta);
    expect(audit.record).not.toHaveBeenCalled();
  });
});
