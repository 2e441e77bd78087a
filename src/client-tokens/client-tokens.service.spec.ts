import type { AuditService } from '../audit/audit.service.js';
import type { PrincipalCache } from '../auth/principal-cache.js';
import type { Principal } from '../auth/principal.js';
import { TokenCodec } from '../auth/token-codec.js';
import { TokenKindRegistry, type TokenKindHandler } from '../auth/token-kind.registry.js';
import { Clock } from '../common/clock.js';
import type { Transactions } from '../common/database/transactions.js';
import type { AppConfig } from '../config/app.config.js';
import type { UsersService } from '../users/users.service.js';
import type { ClientToken } from './client-token.entity.js';
import type { ClientTokenPolicy } from './client-token.policy.js';
import type { ClientTokensRepository } from './client-tokens.repository.js';
import { ClientTokensService } from './client-tokens.service.js';

/** Who may rotate which client token, over an in-memory token table. */
function setup() {
  const rows = new Map<string, ClientToken>();
  const token = (id: string, userId: string, extra: Partial<ClientToken> = {}): ClientToken =>
    ({
      id,
      userId,
      deviceId: null,
      name: id,
      scopes: ['me.read'],
      prefix: 'aaaaaaaa',
      tokenHash: `hash-${id}`,
      expiresAt: null,
      revokedAt: null,
      rotatedAt: null,
      lastUsedAt: null,
      lastUsedIp: null,
      createdAt: new Date(0),
      ...extra,
    }) as unknown as ClientToken;
  rows.set('mine', token('mine', 'ann'));
  rows.set('other-of-mine', token('other-of-mine', 'ann'));
  rows.set('bobs', token('bobs', 'bob'));
  rows.set('revoked', token('revoked', 'ann', { revokedAt: new Date(0) }));
  const tokens = {
    findById: async (id: string) => rows.get(id) ?? null,
    replaceSecret: async (_m: unknown, row: ClientToken, issued: { hash: string }) => {
      rows.get(row.id)!.tokenHash = issued.hash;
      return true;
    },
  };
  const events: string[] = [];
  const audit = {
    record: async (_m: unknown, e: { action: string }) => events.push(e.action),
    // Creation is not under test here: its group commit is never submitted to.
    groupCommit: () => ({ submit: async () => undefined }),
  };
  const transactions = { run: (work: (m: unknown) => Promise<unknown>) => work({}) };
  const evicted: unknown[] = [];
  const kinds = new TokenKindRegistry();
  const kind = (letter: string, name: string, loginSession: boolean) =>
    ({ letter, kind: name, capabilities: { loginSession } }) as unknown as TokenKindHandler;
  kinds.register(kind('s', 'session', true));
  kinds.register(kind('c', 'client', false));
  kinds.register(kind('l', 'long_lived', false));
  const service = new ClientTokensService(
    tokens as unknown as ClientTokensRepository,
    {} as ClientTokenPolicy,
    new TokenCodec({ secrets: { tokenPepper: 'p'.repeat(32) } } as AppConfig),
    {} as UsersService,
    audit as unknown as AuditService,
    transactions as unknown as Transactions,
    { evict: async (e: unknown) => evicted.push(e) } as unknown as PrincipalCache,
    kinds,
    new Clock(),
  );
  const ann = (kindName: string, tokenId: string): Principal => ({
    user: { id: 'ann', username: 'ann', email: null, role: 'user' },
    kind: kindName,
    tokenId,
    scopes: ['tokens.write'],
    deviceId: null,
  });
  return { service, rows, events, evicted, ann };
}

const meta = { ip: null, userAgent: null };

async function outcome(promise: Promise<{ access_token: string }>) {
  try {
    const rotated = await promise;
    return rotated.access_token.startsWith('pgc_') ? 'rotated' : 'no secret';
  } catch (err) {
    return (err as { code: string }).code;
  }
}

describe('ClientTokensService.rotate', () => {
  it('lets a login session rotate any token of its user, and no one else’s', async () => {
    const { service, rows, events, evicted, ann } = setup();
    const session = ann('session', 's1');
    const before = rows.get('mine')!.tokenHash;
    expect(await outcome(service.rotate(session, 'mine', meta))).toBe('rotated');
    expect(rows.get('mine')!.tokenHash).not.toBe(before);
    expect(await outcome(service.rotate(session, 'other-of-mine', meta))).toBe('rotated');
    expect(await outcome(service.rotate(session, 'bobs', meta))).toBe('not_found');
    expect(await outcome(service.rotate(session, 'revoked', meta))).toBe('token_not_active');
    expect(events).toEqual(['client_token.rotate', 'client_token.rotate']);
    expect(evicted).toEqual([{ tokenIds: ['mine'] }, { tokenIds: ['other-of-mine'] }]);
  });

  it('lets a client token rotate itself only, and a long-lived token nothing', async () => {
    const { service, rows, ann } = setup();
    expect(await outcome(service.rotate(ann('client', 'mine'), 'mine', meta))).toBe('rotated');
    const sibling = rows.get('other-of-mine')!.tokenHash;
    expect(await outcome(service.rotate(ann('client', 'mine'), 'other-of-mine', meta))).toBe(
      'login_session_required',
    );
    expect(rows.get('other-of-mine')!.tokenHash).toBe(sibling);
    expect(await outcome(service.rotate(ann('long_lived', 'l1'), 'mine', meta))).toBe(
      'login_session_required',
    );
  });
});
