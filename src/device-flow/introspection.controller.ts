import { Controller, Header, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { AuthorizationHeader, presentedClient } from './client-authentication.js';
import { DeviceFlowScope } from './device-flow.scopes.js';
import { IntrospectionDto, IntrospectionFormDto } from './dto/oauth.dto.js';
import { OAuthBody } from './oauth-form.decorator.js';
import { OAuthExceptionFilter } from './oauth-exception.filter.js';
import { OAuthEndpoint } from './oauth.controller.js';
import { TokenIntrospectionService } from './token-introspection.service.js';

/**
 * RFC 7662 token introspection, for the services behind pairgate. Not `@Public`: a bearer
 * caller goes through the guard like anywhere else (it must hold `tokens.introspect`); a
 * request without one reaches the handler, which authenticates the OAuth client.
 */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(OAuthExceptionFilter)
export class IntrospectionController {
  constructor(private readonly introspection: TokenIntrospectionService) {}

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @Authenticated({ scopes: [DeviceFlowScope.Introspect], orClientCredentials: true })
  @ApiOperation({
    summary: 'Token introspection (RFC 7662)',
    description:
      'Form-encoded `token` (any pairgate kind) and an optional `token_type_hint`, which is ignored. The caller is a confidential registered client an admin allowed to introspect (`may_introspect`), authenticating with client_secret_basic or client_secret_post, or a bearer token holding `tokens.introspect`; anyone else gets 401. A live token answers `active: true` with its scope, client_id (device-flow tokens), username, sub, token_type, exp, iat, iss and the extensions device_id and token_kind; anything else answers only `{"active": false}`. Read fresh: a revocation shows on the next call. Throttled per caller (INTROSPECTION_RATE_LIMIT_PER_MINUTE).',
  })
  @OAuthEndpoint(IntrospectionFormDto, IntrospectionDto, 'RFC 6749 §5.2')
  async introspect(
    @OAuthBody(IntrospectionFormDto) form: IntrospectionFormDto,
    @AuthorizationHeader() authorization: string | undefined,
    @Auth() principal: Principal | undefined,
  ): Promise<IntrospectionDto> {
    const caller = await this.introspection.caller(
      principal,
      principal
        ? { clientId: undefined, secret: null, method: null }
        : presentedClient(authorization, form),
    );
    return this.introspection.introspect(caller, form.token);
  }
}
