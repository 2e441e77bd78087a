import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import {
  CreateLongLivedTokenDto,
  LongLivedTokenListQuery,
} from './dto/long-lived-token-request.dto.js';
import {
  LongLivedTokenDto,
  LongLivedTokenOptionsDto,
  LongLivedTokenPageDto,
  LongLivedTokenWithSecretDto,
} from './dto/long-lived-token.dto.js';
import { LongLivedTokensService } from './long-lived-tokens.service.js';
import { CoreScope } from '../auth/scope.registry.js';

@ApiTags('long-lived-tokens')
@Controller('api/long-lived-tokens')
export class LongLivedTokensController {
  constructor(private readonly tokens: LongLivedTokensService) {}

  @Get('options')
  @Authenticated({ scopes: [CoreScope.TokensRead] })
  @ApiOperation({
    summary: 'What a long-lived token may hold',
    description: 'The long-lived scopes you may pick, the default one and the longest lifetime.',
  })
  options(@Auth() principal: Principal): LongLivedTokenOptionsDto {
    return this.tokens.options(principal);
  }

  @Post()
  @Authenticated({ scopes: [CoreScope.TokensWrite], session: true })
  @ApiOperation({
    summary: 'Create a long-lived token',
    description:
      'Needs a login session. One read-only scope (default `camera.stream`) and a required expiry of 1 to LONG_LIVED_TOKEN_MAX_DAYS days. The secret is in `token`, returned only here.',
  })
  @ApiErrors(400)
  create(
    @Auth() principal: Principal,
    @Body() dto: CreateLongLivedTokenDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<LongLivedTokenWithSecretDto> {
    return this.tokens.create(principal, dto, meta);
  }

  @Get()
  @Authenticated({ scopes: [CoreScope.TokensRead] })
  @ApiOperation({
    summary: 'List your long-lived tokens',
    description: 'Newest first, keyset-paginated; filter by `status`.',
  })
  @ApiErrors(400)
  list(
    @Auth() principal: Principal,
    @Query() query: LongLivedTokenListQuery,
  ): Promise<LongLivedTokenPageDto> {
    return this.tokens.list(principal, query);
  }

  @Get(':id')
  @Authenticated({ scopes: [CoreScope.TokensRead] })
  @ApiOperation({ summary: 'Get one of your long-lived tokens' })
  @ApiErrors(400, 404)
  get(@Auth() principal: Principal, @Param() { id }: IdParam): Promise<LongLivedTokenDto> {
    return this.tokens.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scopes: [CoreScope.TokensWrite] })
  @ApiOperation({
    summary: 'Revoke one of your long-lived tokens',
    description:
      'It fails on its very next request. Streams it already opened are not cut; it cannot open a new one.',
  })
  @ApiErrors(400, 404)
  revoke(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.tokens.revoke(principal, id, meta);
  }
}
