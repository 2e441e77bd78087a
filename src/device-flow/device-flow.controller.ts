import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { ReqMeta } from '../common/request-meta.js';
import { DeviceApprovalService } from './device-approval.service.js';
import { DeviceAuthorizationService } from './device-authorization.service.js';
import { DeviceFlowUrls } from './device-flow.urls.js';
import { DeviceTokenService } from './device-token.service.js';
import {
  ApproveDeviceDto,
  DenyDeviceDto,
  DeviceDecisionDto,
  DevicePendingDto,
  QrQuery,
  UserCodeQuery,
} from './dto/device-approval.dto.js';
import { DeviceAuthorizationDto, DeviceInitDto } from './dto/device-init.dto.js';
import { DeviceTokenDto, DeviceTokenRequestDto, OAuthErrorDto } from './dto/device-token.dto.js';
import { OAuthBody } from './oauth-form.decorator.js';
import { OAuthExceptionFilter } from './oauth-exception.filter.js';
import { CoreScope } from '../auth/scope.registry.js';

/** The JSON API of the device flow, for first-party devices and the pairing page. */
@ApiTags('device flow')
@Controller('api/auth/device')
export class DeviceFlowController {
  constructor(
    private readonly authorizations: DeviceAuthorizationService,
    private readonly approvals: DeviceApprovalService,
    private readonly tokens: DeviceTokenService,
    private readonly urls: DeviceFlowUrls,
  ) {}

  @Post('init')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start pairing a device',
    description:
      'Returns a secret `device_code` for the device and a `user_code` to show the person, with the pairing page URL and a QR code URL. Throttled per IP. Confidential clients authenticate at /oauth/device_authorization instead (401 `invalid_client` here).',
  })
  @ApiErrors(400, 401, 429)
  init(@Body() dto: DeviceInitDto, @ReqMeta() meta: RequestMeta): Promise<DeviceAuthorizationDto> {
    return this.authorizations.init(
      {
        client: { clientId: dto.client_id, secret: null, method: null },
        clientName: dto.client_name ?? null,
        clientDeviceIdentifier: dto.client_device_identifier,
        deviceName: dto.device_name ?? null,
        platform: dto.platform ?? null,
        clientVersion: dto.client_version ?? null,
        scopes: dto.scopes,
      },
      meta,
    );
  }

  @Get('pending')
  @Authenticated({ scopes: [CoreScope.MeRead] })
  @ApiOperation({
    summary: 'Show what a device asks for',
    description:
      'Who is asking (client, verified or not, device, address) and which scopes, with descriptions. Unknown, expired and finished codes get the same 404. Lookups by user code are throttled per user and per IP, successes included.',
  })
  @ApiErrors(400, 404, 429)
  pending(
    @Auth() principal: Principal,
    @Query() query: UserCodeQuery,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DevicePendingDto> {
    return this.approvals.pending(principal, query.user_code, meta);
  }

  @Post('approve')
  @Authenticated({ scopes: [CoreScope.MeWrite], session: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a device',
    description:
      'The device receives a client token bound to its Device record on its next poll. Scopes may only be narrowed, and each must be held by the approving token; the token never expires unless `expires_in_days` or `expires_at` says so.',
  })
  @ApiErrors(400, 403, 404, 429)
  approve(
    @Auth() principal: Principal,
    @Body() dto: ApproveDeviceDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DeviceDecisionDto> {
    return this.approvals.approve(principal, dto, meta);
  }

  @Post('deny')
  @Authenticated({ scopes: [CoreScope.MeWrite], session: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Deny a device',
    description: 'The device gets `access_denied` on its next poll.',
  })
  @ApiErrors(400, 404, 429)
  deny(
    @Auth() principal: Principal,
    @Body() dto: DenyDeviceDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DeviceDecisionDto> {
    return this.approvals.deny(principal, dto.user_code, meta);
  }

  @Post('token')
  @Public()
  @HttpCode(200)
  @Header('Pragma', 'no-cache')
  @UseFilters(OAuthExceptionFilter)
  @ApiOperation({
    summary: 'Poll for the token',
    description:
      'Until the person decides: 400 `authorization_pending`, or `slow_down` when polled sooner than `interval` (which then grows by 5 s). Then the token once, or `access_denied`, `expired_token`; a second collection gets `invalid_grant` and revokes the token the code minted. Errors are in the OAuth shape `{ error, error_description, interval? }`. Throttled per IP (429 `slow_down`).',
  })
  @ApiBody({ type: DeviceTokenRequestDto })
  @ApiResponse({ status: 200, type: DeviceTokenDto })
  @ApiResponse({ status: 400, type: OAuthErrorDto, description: 'OAuth error (RFC 8628 §3.5)' })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: '`slow_down`, with Retry-After' })
  token(
    @OAuthBody(DeviceTokenRequestDto) body: DeviceTokenRequestDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DeviceTokenDto> {
    return this.tokens.exchange(
      {
        grantType: body.grant_type,
        deviceCode: body.device_code,
        client: { clientId: body.client_id, secret: null, method: null },
        requireClientId: false,
      },
      meta,
    );
  }

  @Get('qr')
  @Public()
  @ApiOperation({
    summary: 'QR code of the pairing link',
    description:
      'SVG (or PNG with `format=png`) of the complete verification URI for a user code. It only encodes the link: it says nothing about whether the code exists.',
  })
  @ApiResponse({
    status: 200,
    description: 'The QR code image',
    content: {
      'image/svg+xml': { schema: { type: 'string' } },
      'image/png': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiErrors(400)
  async qr(@Query() query: QrQuery, @Res() reply: FastifyReply): Promise<void> {
    const image = await this.urls.qrCode(query.user_code, query.format === 'png' ? 'png' : 'svg');
    void reply
      .header('Cache-Control', 'private, max-age=600')
      .type(image.contentType)
      .send(image.body);
  }
}
