import { ConfigModule } from '@nestjs/config';
import { Module } from '@nestjs/common';
import { AdminSessionsController } from './admin-sessions.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AuthController } from './auth.controller.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionKind } from './session.kind.js';
import { AdminUsersService } from './admin-users.service.js';
import { SessionListService } from './session-list.service.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { SetupController } from './setup.controller.js';
import { SetupService } from './setup.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { Metrics } from '../common/metrics/metrics.js';
import { usersConfig } from './users.config.js';

@Module({
  imports: [ConfigModule.forFeature(usersConfig)],
  controllers: [
    AuthController,
    UsersController,
    SessionsController,
    AdminUsersController,
    AdminSessionsController,
    SetupController,
  ],
  providers: [
    UsersRepository,
    SessionsRepository,
    PasswordHasher,
    UsersService,
    AdminUsersService,
    SessionsService,
    SessionListService,
    SessionKind,
    SetupService,
    LoginThrottle,
  ],
  exports: [UsersService],
})
export class UsersModule {
  constructor(metrics: Metrics) {
    metrics.countAuditActions({
      'auth.login': { issued: 'session' },
      'auth.logout': { revoked: 'session' },
      'session.revoke': { revoked: 'session' },
      'session.admin_revoke': { revoked: 'session' },
    });
  }
}
