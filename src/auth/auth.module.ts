import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { Clock } from '../common/clock.js';
import { ActivityRecorder } from './activity-recorder.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';
import { PrincipalCache } from './principal-cache.js';
import { PrincipalValidity } from './principal-validity.js';
import { ScopeRegistry } from './scope.registry.js';
import { TokenCodec } from './token-codec.js';
import { TokenKindRegistry } from './token-kind.registry.js';
import { TokenLookup } from './token-lookup.js';
import { AuthRefusals } from './auth-refusals.js';

/**
 * The shared bearer layer. Global, so a feature module injects the registries to plug in its
 * token kind or scopes without importing anything but this module's exports.
 */
@Global()
@Module({
  imports: [
    PassportModule.register({ defaultStrategy: 'bearer', property: 'principal', session: false }),
  ],
  providers: [
    Clock,
    TokenCodec,
    TokenKindRegistry,
    TokenLookup,
    ScopeRegistry,
    PrincipalCache,
    PrincipalValidity,
    ActivityRecorder,
    AuthRefusals,
    BearerStrategy,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [
    Clock,
    TokenCodec,
    TokenKindRegistry,
    TokenLookup,
    ScopeRegistry,
    PrincipalCache,
    PrincipalValidity,
    ActivityRecorder,
    AuthRefusals,
  ],
})
export class AuthModule {}
