import { randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { usersConfig, type UsersConfig } from './users.config.js';
import type { SetupDto } from './dto/admin-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

const CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/**
 * First run: with no admin, either create the one named by ADMIN_USERNAME/ADMIN_PASSWORD, or
 * print once a setup URL with a one-time code that POST /api/setup accepts. The code lives in
 * this process's memory only and dies with the first admin.
 */
@Injectable()
export class SetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Setup');
  private code: string | null = null;

  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly rateLimiter: RateLimiter,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(usersConfig.KEY) private readonly settings: UsersConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.hasActiveAdmin()) return;
    if (this.settings.admin) {
      await this.createFromEnvironment();
      return;
    }
    this.code = Array.from({ length: 3 }, () =>
      Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(''),
    ).join('-');
    // Plain lines, not a JSON log line (whose escaping would break the command when copied),
    // and the code only here: log collectors keep JSON lines, not this block.
    this.logger.warn('No admin account exists yet: the setup link is printed on the terminal');
    if (this.config.logLevel !== 'silent') {
      process.stdout.write(setupInstructions(this.config.publicUrl, this.code));
    }
  }

  /** The code printed at start, while setup is open (tests read it here). */
  get pendingCode(): string | null {
    return this.code;
  }

  async isRequired(): Promise<boolean> {
    return !(await this.users.hasActiveAdmin());
  }

  async setup(dto: SetupDto, meta: RequestMeta): Promise<UserDto> {
    await this.rateLimiter.consume(
      { name: 'setup.ip', limit: 10, windowSeconds: 60 },
      meta.ip ?? 'unknown',
    );
    if (!this.code || !(await this.isRequired())) {
      this.code = null;
      throw ApiException.forbidden(
        ErrorCode.SetupNotAvailable,
        'Setup is finished: an admin exists. Sign in, or ask an admin for an account',
      );
    }
    const given = Buffer.from(dto.setup_code.trim().toUpperCase());
    const expected = Buffer.from(this.code);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await this.transactions.run((manager) =>
        this.audit.record(manager, { action: 'setup.create_admin', outcome: 'failure', meta }),
      );
      throw ApiException.forbidden(
        ErrorCode.InvalidSetupCode,
        'The setup code is wrong: use the one printed in the server log at start',
      );
    }
    // Claimed before any await, so two concurrent requests with the code make one admin.
    const claimed = this.code;
    this.code = null;
    const user = await this.users.build(dto, 'admin');
    try {
      await this.transactions.run(async (manager) => {
        await this.users.insert(manager, user);
        await this.audit.record(manager, {
          action: 'setup.create_admin',
          actor: { userId: user.id, username: user.username },
          target: { type: 'user', id: user.id },
          meta,
        });
      });
    } catch (err) {
      this.code = claimed;
      throw err;
    }
    this.logger.log(`Setup finished: admin "${user.username}" created`);
    return UserDto.from(user);
  }

  private async createFromEnvironment(): Promise<void> {
    const { username, password, email } = this.settings.admin!;
    const existing = await this.users.findByUsername(username.toLowerCase());
    if (existing) {
      this.logger.warn(
        `ADMIN_USERNAME "${username}" exists but is not an enabled admin; left unchanged`,
      );
      return;
    }
    const user = await this.users.build(
      { username: username.toLowerCase(), password, email },
      'admin',
    );
    try {
      await this.transactions.run(async (manager) => {
        await this.users.insert(manager, user);
        await this.audit.record(manager, {
          action: 'setup.create_admin',
          actor: { userId: user.id, username: user.username },
          target: { type: 'user', id: user.id },
          details: { source: 'environment' },
        });
      });
    } catch (err) {
      // Instances started together race to create it: the one that lost finds it made.
      if (!(await this.users.findByUsername(user.username))) throw err;
      this.logger.log(`Admin "${user.username}" was created by another instance`);
      return;
    }
    this.logger.log(`Created admin "${user.username}" from ADMIN_USERNAME`);
  }
}

/** The first-run block: a link to open, or a command that runs as printed. */
export function setupInstructions(publicUrl: string, code: string): string {
  const body = JSON.stringify({
    setup_code: code,
    username: 'admin',
    password: '<at least 8 characters>',
  });
  const rule = `  ${'='.repeat(72)}`;
  return [
    '',
    rule,
    '  No admin account exists yet. Create one:',
    '',
    `    open ${publicUrl}/setup?code=${code}`,
    '',
    '  or run:',
    '',
    `    curl -X POST ${publicUrl}/api/setup -H 'content-type: application/json' -d '${body}'`,
    rule,
    '',
  ].join('\n');
}
