import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import { ClientTokenPairingService } from './client-token-pairing.service.js';
import { ClientTokensService } from './client-tokens.service.js';
import {
  ClientTokenListQuery,
  CreateClientTokenDto,
  ExchangePairCodeDto,
  UpdateClientTokenDto,
} from './dto/client-token-request.dto.js';
import {
  ClientTokenDto,
  ClientTokenOptionsDto,
  ClientTokenPageDto,
  ClientTokenWithSecretDto,
  PairCodeDto,
} from './dto/client-token.dto.js';
import { CoreScope } from '../auth/scope.registry.js';

@ApiTags('client-tokens')
@Controller('api/client-tokens')
export class ClientTokensController {
  constructor(
    private readonly tokens: ClientTokensService,
    private readonly pairing: ClientTokenPairingService,
  ) {}

  @Get('options')
  @Authenticated({ scopes: [CoreScope.TokensRead] })
  @ApiOperation({
    summary: 'What a client token may hold',
    description:
      'The registered scopes you may grant, with their descriptions, and the longest lifetime.',
  })
  options(@Auth() principal: Principal): ClientTokenOptionsDto {
    return this.tokens.options(principal);
  }

  @Post()
  @Authenticated({ scopes: [CoreScope.TokensWrite], session: true })
  @ApiOperation({
    summary: 'Create a client token',
    description:
      'Needs a login session: a client or long-lived token gets 403, so tokens cannot spawn tokens. ' +
      'Scopes must be registered (400) and ones you may hold (403). No expiry means never, clamped by ' +
      'CLIENT_TOKEN_MAX_TTL_DAYS and by the shortest `maxTtlSeconds` of the scopes. `access_token` is returned only here.',
  })
  @ApiErrors(400)
  create(
    @Auth() principal: Principal,
    @Body() dto: CreateClientTokenDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ClientTokenWithSecretDto> {
    return this.tokens.create(principal, dto, meta);
  }

  @Get()
  @Authenticated({ scopes: [CoreScope.TokensRead] })
  @ApiOperation({
    summary: 'List your client tokens',
    description: 'Newest first, keyset-paginated; filter by `status` and `device_id`.',
  })
  @ApiErrors(400)
  list(
    @Auth() principal: Principal,
    @Query() query: ClientTokenListQuery,
  ): Promise<ClientTokenPageDto> {
    return this.tokens.list(principal, query);
  }

  @Post('exchange')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a pairing code for a token',
    description:
      'For the device: trades a code from POST /api/client-tokens/{id}/pair for the token and its secret. ' +
      'The secret is rotated, so any earlier copy stops working. A used, expired or unknown code gets the ' +
      'same 400 `invalid_pair_code`; limited to 5 tries a minute per IP.',
  })
  @ApiErrors(400, 429)
  exchange(
    @Body() dto: ExchangePairCodeDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ClientTokenWithSecretDto> {
    return this.pairing.exchange(dto.code, meta);
  }

  @Get(':id')
  @Authenticated({ scopes: [CoreScope.TokensRead] })
  @ApiOperation({
    summary: 'Get one of your client tokens',
    description: "Another user's token is 404.",
  })
  @ApiErrors(400, 404)
  get(@Auth() principal: Principal, @Param() { id }: IdParam): Promise<ClientTokenDto> {
    return this.tokens.get(principal, id);
  }

  @Patch(':id')
  @Authenticated({ scopes: [CoreScope.TokensWrite] })
  @ApiOperation({ summary: 'Rename a client token' })
  @ApiErrors(400, 404)
  rename(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @Body() dto: UpdateClientTokenDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ClientTokenDto> {
    return this.tokens.rename(principal, id, dto, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scopes: [CoreScope.TokensWrite] })
  @ApiOperation({
    summary: 'Revoke a client token',
    description: 'It fails on its very next request. Revoking a revoked token is a no-op.',
  })
  @ApiErrors(400, 404)
  revoke(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.tokens.revoke(principal, id, meta);
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @Authenticated({ scopes: [CoreScope.TokensWrite] })
  @ApiOperation({
    summary: 'Rotate a client token',
    description:
      'A new secret, returned once, for the same token (id, scopes, device, expiry); the old secret fails at ' +
      'once, and presenting it later is audited as `client_token.reuse_after_rotation`. Needs a login ' +
      'session, except that a client token may rotate itself. A revoked or expired token gets 409.',
  })
  @ApiErrors(400, 404, 409)
  rotate(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ClientTokenWithSecretDto> {
    return this.tokens.rotate(principal, id, meta);
  }

  @Post(':id/pair')
  @HttpCode(200)
  @Authenticated({ scopes: [CoreScope.TokensWrite], session: true })
  @ApiOperation({
    summary: 'Get a pairing code for a client token',
    description:
      'For devices that cannot show a QR code: an 8-letter code, valid 60 seconds and once, that the device ' +
      'exchanges at POST /api/client-tokens/exchange. A new code replaces the previous one. Needs a login ' +
      'session; a revoked or expired token gets 409.',
  })
  @ApiErrors(400, 404, 409)
  pair(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PairCodeDto> {
    return this.pairing.pair(principal, id, meta);
  }
}
