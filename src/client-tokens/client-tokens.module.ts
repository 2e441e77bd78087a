import { ConfigModule } from '@nestjs/config';
import { Module } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { DevicesModule } from '../devices/devices.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminClientTokensController } from './admin-client-tokens.controller.js';
import { AdminClientTokensService } from './admin-client-tokens.service.js';
import { ClientTokenKind } from './client-token.kind.js';
import { ClientTokenPairingService } from './client-token-pairing.service.js';
import { ClientTokenPolicy } from './client-token.policy.js';
import { ClientTokensController } from './client-tokens.controller.js';
import { ClientTokensRepository } from './client-tokens.repository.js';
import { ClientTokensService } from './client-tokens.service.js';
import { DeviceTokensService } from './device-tokens.service.js';
import { Metrics } from '../common/metrics/metrics.js';
import { clientTokensConfig } from './client-tokens.config.js';
import { CLIENT_TOKEN_SCOPES } from './client-token.scopes.js';

/**
 * Client tokens (`pgc_`) and, through DevicesModule, devices. Exports ClientTokensService
 * and DeviceTokensService (`mintForDevice`, `revokeInTransaction` for the device flow), and
 * DevicesModule.
 */
@Module({
  imports: [ConfigModule.forFeature(clientTokensConfig), DevicesModule, UsersModule],
  controllers: [ClientTokensController, AdminClientTokensController],
  providers: [
    ClientTokensRepository,
    ClientTokenPolicy,
    ClientTokensService,
    DeviceTokensService,
    ClientTokenKind,
    ClientTokenPairingService,
    AdminClientTokensService,
  ],
  exports: [ClientTokensService, DeviceTokensService, ClientTokenPolicy, DevicesModule],
})
export class ClientTokensModule {
  constructor(scopes: ScopeRegistry, metrics: Metrics) {
    scopes.registerAll(CLIENT_TOKEN_SCOPES);
    metrics.countAuditActions({
      'client_token.create': { issued: 'client' },
      'client_token.rotate': { issued: 'client' },
      'client_token.exchange': { issued: 'client' },
      'client_token.revoke': { revoked: 'client' },
      'client_token.admin_revoke': { revoked: 'client' },
    });
  }
}
