import { ConfigModule } from '@nestjs/config';
import { Module } from '@nestjs/common';
import { AdminUsersController } from './admin-users.controller.js';
import { AuthController } from './auth.controller.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionKind } from './session.kind.js';
import { AdminUsersService } from './admin-users.service.js';
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
  controllers: [AuthController, UsersController, AdminUsersController, SetupController],
  providers: [
    UsersRepository,
    SessionsRepository,
    PasswordHasher,
    UsersService,
    AdminUsersService,
    SessionsService,
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
    });
  }
}
