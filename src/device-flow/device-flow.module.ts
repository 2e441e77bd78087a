import { ConfigModule } from '@nestjs/config';
import { Module } from '@nestjs/common';
import { ClientTokensModule } from '../client-tokens/client-tokens.module.js';
import { DeviceApprovalService } from './device-approval.service.js';
import { DeviceAuthorizationService } from './device-authorization.service.js';
import { DeviceAuthorizationWriter } from './device-authorization.writer.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';
import { DeviceFlowController } from './device-flow.controller.js';
import { DeviceFlowUrls } from './device-flow.urls.js';
import { DevicePollTracker } from './device-poll.tracker.js';
import { DeviceTokenService } from './device-token.service.js';
import { OAuthClientsController } from './oauth-clients.controller.js';
import { OAuthClientsRepository } from './oauth-clients.repository.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { OAuthController } from './oauth.controller.js';
import { OAuthErrorShapeHook } from './oauth-error-shape.hook.js';
import { PendingPollCache } from './pending-poll.cache.js';
import { Metrics } from '../common/metrics/metrics.js';
import { deviceFlowConfig } from './device-flow.config.js';
import { TokenRevocationService } from './token-revocation.service.js';
import { TokenIntrospectionService } from './token-introspection.service.js';
import { IntrospectionController } from './introspection.controller.js';
import { DEVICE_FLOW_SCOPES } from './device-flow.scopes.js';
import { ScopeRegistry } from '../auth/scope.registry.js';

/**
 * RFC 8628 device authorization: the JSON API, the standard OAuth surface, registered
 * clients and the pairing page. Tokens and devices belong to ClientTokensModule; this
 * module only asks it to mint and revoke, inside its own transactions.
 */
@Module({
  imports: [ConfigModule.forFeature(deviceFlowConfig), ClientTokensModule],
  controllers: [
    DeviceFlowController,
    OAuthController,
    IntrospectionController,
    OAuthClientsController,
  ],
  providers: [
    DeviceAuthorizationsRepository,
    OAuthClientsRepository,
    OAuthClientsService,
    DeviceAuthorizationService,
    DeviceAuthorizationWriter,
    DeviceApprovalService,
    DeviceTokenService,
    TokenRevocationService,
    TokenIntrospectionService,
    DevicePollTracker,
    PendingPollCache,
    DeviceFlowUrls,
    OAuthErrorShapeHook,
  ],
  exports: [OAuthClientsService, DeviceAuthorizationService],
})
export class DeviceFlowModule {
  constructor(metrics: Metrics, scopes: ScopeRegistry) {
    scopes.registerAll(DEVICE_FLOW_SCOPES);
    metrics.countAuditActions({
      'device_flow.init': { deviceFlowStep: 'init' },
      'device_flow.approve': { deviceFlowStep: 'approve' },
      'device_flow.deny': { deviceFlowStep: 'deny' },
      'device_flow.code_reuse': { deviceFlowStep: 'code_reuse' },
      'device_flow.token_issued': { deviceFlowStep: 'token_issued' },
    });
    // The device flow mints client tokens: counted as issued, of their kind.
    metrics.countAuditActions({ 'device_flow.token_issued': { issued: 'client' } });
  }
}
