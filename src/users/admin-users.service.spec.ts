import type { AuditService } from '../audit/audit.service.js';
import type { PrincipalCache } from '../auth/principal-cache.js';
import type { Principal } from '../auth/principal.js';
import { TokenKindRegistry, type TokenKindHandler } from '../auth/token-kind.registry.js';
import { Clock } from '../common/clock.js';
import type { Transactions } from '../common/database/transactions.js';
import type { User } from './user.entity.js';
import type { UsersRepository } from './users.repository.js';
import { AdminUsersService } from './admin-users.service.js';
import type { UsersService } from './users.service.js';

/** The rules of admin user changes, over an in-memory users table. */
function setup() {
  const rows = new Map<string, User>();
  const user = (id: string, role: 'admin' | 'user'): User =>
    ({
      id,
      username: id,
      email: null,
      role,
      disabledAt: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    }) as unknown as User;
  rows.set('root', user('root', 'admin'));
  rows.set('bob', user('bob', 'user'));
  const users = {
    findById: async (id: string) => rows.get(id) ?? null,
    update: async (_m: unknown, id: string, patch: Partial<User>) => {
      Object.assign(rows.get(id)!, patch);
    },
  };
  const events: Array<{ action: string; details?: Record<string, unknown> }> = [];
  const audit = {
    record: async (_m: unknown, event: (typeof events)[number]) => events.push(event),
  };
  const transactions = { run: (work: (m: unknown) => Promise<unknown>) => work({}) };
  const evicted: unknown[] = [];
  const cache = { evict: async (e: unknown) => evicted.push(e) };
  const kinds = new TokenKindRegistry();
  const kind = (letter: string, name: string, loginSession: boolean) =>
    ({ letter, kind: name, capabilities: { loginSession } }) as unknown as TokenKindHandler;
  kinds.register(kind('s', 'session', true));
  kinds.register(kind('c', 'client', false));
  const service = new AdminUsersService(
    users as unknown as UsersRepository,
    {} as UsersService,
    audit as unknown as AuditService,
    transactions as unknown as Transactions,
    cache as unknown as PrincipalCache,
    kinds,
    new Clock(),
  );
  const as = (kindName: string): Principal => ({
    user: { id: 'root', username: 'root', email: null, role: 'admin' },
    kind: kindName,
    tokenId: `${kindName}-1`,
    scopes: ['admin'],
    deviceId: null,
  });
  return { service, rows, events, evicted, as };
}

const meta = { ip: '10.0.0.1', userAgent: null };

function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (err: { getStatus(): number; code: string }) => ({ status: err.getStatus(), code: err.code }),
  );
}

describe('AdminUsersService.update', () => {
  it('refuses to let admins disable or demote themselves, and changes nothing', async () => {
    const { service, rows, events, as } = setup();
    expect(await refusal(service.update(as('session'), 'root', { disabled: true }, meta))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(await refusal(service.update(as('session'), 'root', { role: 'user' }, meta))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(rows.get('root')).toMatchObject({ role: 'admin', disabledAt: null });
    expect(events).toEqual([]);
  });

  it('makes an admin only from a login session, but lets a token disable', async () => {
    const { service, rows, events, evicted, as } = setup();
    expect(await refusal(service.update(as('client'), 'bob', { role: 'admin' }, meta))).toEqual({
      status: 403,
      code: 'login_session_required',
    });
    expect(rows.get('bob')!.role).toBe('user');
    await service.update(as('client'), 'bob', { disabled: true }, meta);
    expect(rows.get('bob')!.disabledAt).toBeInstanceOf(Date);
    await service.update(as('session'), 'bob', { role: 'admin' }, meta);
    expect(rows.get('bob')!.role).toBe('admin');
    expect(events.map((e) => e.action)).toEqual(['user.disable', 'user.update']);
    expect(evicted).toEqual([{ userIds: ['bob'] }, { userIds: ['bob'] }]);
  });

  it('records nothing when nothing changes', async () => {
    const { service, events, as } = setup();
    await service.update(as('session'), 'bob', { role: 'user', disabled: false }, meta);
    expect(events).toEqual([]);
  });
});
