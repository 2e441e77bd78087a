import {
  applyDecorators,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  type Type,
  UseFilters,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Public } from '../auth/auth.decorators.js';
import { ReqMeta } from '../common/request-meta.js';
import { AuthorizationHeader, presentedClient } from './client-authentication.js';
import { DeviceAuthorizationService } from './device-authorization.service.js';
import { DeviceFlowUrls } from './device-flow.urls.js';
import { DeviceTokenService } from './device-token.service.js';
import { DeviceAuthorizationDto } from './dto/device-init.dto.js';
import { DeviceTokenDto, OAuthErrorDto } from './dto/device-token.dto.js';
import {
  AuthorizationServerMetadataDto,
  DeviceAuthorizationFormDto,
  RevocationFormDto,
  TokenFormDto,
} from './dto/oauth.dto.js';
import { OAuthBody } from './oauth-form.decorator.js';
import { OAuthExceptionFilter } from './oauth-exception.filter.js';
import { OAuthException } from './oauth.exception.js';
import { TokenRevocationService } from './token-revocation.service.js';

export const FORM = 'application/x-www-form-urlencoded';

/** The document of a form-encoded OAuth endpoint: its body, its answer, its RFC errors. */
export function OAuthEndpoint(body: Type, ok: Type, errors: string) {
  return applyDecorators(
    ApiConsumes(FORM),
    ApiBody({ type: body }),
    ApiResponse({ status: 200, type: ok }),
    ApiResponse({ status: 400, type: OAuthErrorDto, description: `OAuth error (${errors})` }),
    ApiResponse({
      status: 401,
      type: OAuthErrorDto,
      description:
        '`invalid_client`: client authentication failed or is missing, with a Basic challenge',
    }),
    ApiResponse({ status: 429, type: OAuthErrorDto, description: '`slow_down`, with Retry-After' }),
  );
}

/**
 * The standard OAuth surface over the same service, so unmodified clients (openid-client,
 * oauth4webapi, gh-style CLIs) pair without knowing pairgate: RFC 8414 metadata, RFC 8628
 * device authorization and token endpoints. Public clients send client_id alone (`none`);
 * confidential ones authenticate with client_secret_basic or client_secret_post.
 */
@ApiTags('oauth')
@Controller()
@Public()
@UseFilters(OAuthExceptionFilter)
export class OAuthController {
  constructor(
    private readonly authorizations: DeviceAuthorizationService,
    private readonly tokens: DeviceTokenService,
    private readonly revocation: TokenRevocationService,
    private readonly urls: DeviceFlowUrls,
  ) {}

  @Get('.well-known/oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'Authorization server metadata (RFC 8414)',
    description: 'Where the device flow endpoints are, and every registered scope.',
  })
  @ApiResponse({ status: 200, type: AuthorizationServerMetadataDto })
  metadata(): string {
    return this.urls.metadataJson();
  }

  @Post('oauth/device_authorization')
  @HttpCode(200)
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Device authorization request (RFC 8628 §3.1)',
    description:
      'Form-encoded. `scope` is space-separated; `device_identifier` and `device_name` are pairgate extensions. A confidential client authenticates with HTTP Basic (client_secret_basic) or `client_secret` (client_secret_post). Throttled per IP.',
  })
  @OAuthEndpoint(DeviceAuthorizationFormDto, DeviceAuthorizationDto, 'RFC 6749 §5.2')
  deviceAuthorization(
    @OAuthBody(DeviceAuthorizationFormDto) form: DeviceAuthorizationFormDto,
    @AuthorizationHeader() authorization: string | undefined,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DeviceAuthorizationDto> {
    const client = presentedClient(authorization, form);
    if (client.clientId === undefined) {
      throw new OAuthException('invalid_request', 'client_id is required');
    }
    return this.authorizations.init(
      {
        client,
        clientName: null,
        clientDeviceIdentifier: form.device_identifier ?? null,
        deviceName: form.device_name ?? null,
        platform: null,
        clientVersion: null,
        scopes: (form.scope ?? '').split(' ').filter(Boolean),
      },
      meta,
    );
  }

  @Post('oauth/token')
  @HttpCode(200)
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Token request, device code grant (RFC 8628 §3.4)',
    description:
      'Form-encoded. A confidential client authenticates on every request, as at the device authorization endpoint. Errors as in RFC 8628 §3.5: `authorization_pending`, `slow_down` (with the new `interval`), `access_denied`, `expired_token`, `invalid_grant` (unknown or reused code, or another client_id), `unsupported_grant_type`; 401 `invalid_client` when client authentication fails.',
  })
  @OAuthEndpoint(TokenFormDto, DeviceTokenDto, 'RFC 8628 §3.5')
  token(
    @OAuthBody(TokenFormDto) form: TokenFormDto,
    @AuthorizationHeader() authorization: string | undefined,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DeviceTokenDto> {
    return this.tokens.exchange(
      {
        grantType: form.grant_type,
        deviceCode: form.device_code,
        client: presentedClient(authorization, form),
        requireClientId: true,
      },
      meta,
    );
  }

  @Post('oauth/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Token revocation (RFC 7009)',
    description:
      "Form-encoded `token` (and an optional `token_type_hint`). A client gives back a token the device flow issued to it; public clients send `client_id`, confidential ones authenticate as at the token endpoint. The answer is 200 with an empty body whether or not anything was revoked (unknown, already revoked, or another client's token).",
  })
  @ApiConsumes(FORM)
  @ApiBody({ type: RevocationFormDto })
  @ApiResponse({ status: 200, description: 'Revoked, or nothing to revoke' })
  @ApiResponse({ status: 400, type: OAuthErrorDto, description: 'OAuth error (RFC 7009 §2.2.1)' })
  @ApiResponse({
    status: 401,
    type: OAuthErrorDto,
    description:
      '`invalid_client`: client authentication failed or is missing, with a Basic challenge',
  })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: '`slow_down`, with Retry-After' })
  async revoke(
    @OAuthBody(RevocationFormDto) form: RevocationFormDto,
    @AuthorizationHeader() authorization: string | undefined,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    const client = presentedClient(authorization, form);
    if (client.clientId === undefined) {
      throw new OAuthException('invalid_request', 'client_id is required');
    }
    await this.revocation.revoke(client, form.token, meta);
  }
}
