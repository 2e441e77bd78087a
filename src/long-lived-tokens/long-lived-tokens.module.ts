import { ConfigModule } from '@nestjs/config';
import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { AdminLongLivedTokensController } from './admin-long-lived-tokens.controller.js';
import { LongLivedTokenKind } from './long-lived-token.kind.js';
import { LongLivedTokenPolicy } from './long-lived-token.policy.js';
import { LongLivedTokensController } from './long-lived-tokens.controller.js';
import { LongLivedTokensRepository } from './long-lived-tokens.repository.js';
import { LongLivedTokensService } from './long-lived-tokens.service.js';
import { AdminLongLivedTokensService } from './admin-long-lived-tokens.service.js';
import { Metrics } from '../common/metrics/metrics.js';
import { longLivedTokensConfig } from './long-lived-tokens.config.js';

/**
 * Long-lived single-scope tokens (`pgl_`). It plugs its token kind into the bearer guard and
 * its revocation into the admin "revoke all"; scopes come from the modules that register
 * them with `longLived: true` (the cameras module's `camera.stream`).
 */
@Module({
  imports: [ConfigModule.forFeature(longLivedTokensConfig), UsersModule],
  controllers: [LongLivedTokensController, AdminLongLivedTokensController],
  providers: [
    LongLivedTokensRepository,
    LongLivedTokenPolicy,
    LongLivedTokenKind,
    LongLivedTokensService,
    AdminLongLivedTokensService,
  ],
})
export class LongLivedTokensModule {
  constructor(metrics: Metrics) {
    metrics.countAuditActions({
      'long_lived_token.create': { issued: 'long_lived' },
      'long_lived_token.revoke': { revoked: 'long_lived' },
      'long_lived_token.admin_revoke': { revoked: 'long_lived' },
    });
  }
}
