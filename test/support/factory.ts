import { randomBytes } from 'node:crypto';
import { Transactions } from '../../src/common/database/transactions.js';
import type { User } from '../../src/users/user.entity.js';
import { UsersService } from '../../src/users/users.service.js';
import type { TestApp } from './test-app.js';

export interface UserOptions {
  role?: 'admin' | 'user';
  username?: string;
  password?: string;
  email?: string;
  disabled?: boolean;
}

export interface CreatedUser {
  user: User;
  password: string;
}

/** Builds rows through the services, so tests start from states the app itself makes. */
export class Factory {
  private seq = 0;

  constructor(private readonly t: TestApp) {}

  async user(options: UserOptions = {}): Promise<CreatedUser> {
    const users = this.t.app.get(UsersService);
    const password = options.password ?? `pw-${randomBytes(6).toString('hex')}`;
    const user = await users.build(
      {
        username: options.username ?? `user${++this.seq}-${randomBytes(3).toString('hex')}`,
        password,
        email: options.email ?? undefined,
      },
      options.role ?? 'user',
    );
    if (options.disabled) user.disabledAt = this.t.clock.now();
    await this.t.app.get(Transactions).run((manager) => users.insert(manager, user));
    return { user, password };
  }

  /** Signs in through the API and returns the session token. */
  async login(created: CreatedUser): Promise<string> {
    const res = await this.t
      .http()
      .post('/api/auth/login')
      .send({ username: created.user.username, password: created.password })
      .expect(200);
    return res.body.access_token as string;
  }

  /** A user and a session token for them. */
  async session(
    options: UserOptions = {},
  ): Promise<{ user: User; token: string; password: string }> {
    const created = await this.user(options);
    return { ...created, token: await this.login(created) };
  }
}
