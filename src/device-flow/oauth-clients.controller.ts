import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { ReqMeta } from '../common/request-meta.js';
import {
  ClientIdParam,
  CreateOAuthClientDto,
  OAuthClientDto,
  OAuthClientListQuery,
  OAuthClientPageDto,
  OAuthClientWithSecretDto,
  UpdateOAuthClientDto,
} from './dto/oauth-client.dto.js';
import { OAuthClientsService } from './oauth-clients.service.js';

@ApiTags('admin')
@Controller('api/admin/oauth-clients')
@Authenticated({ admin: true })
export class OAuthClientsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @Get()
  @ApiOperation({
    summary: 'List registered OAuth clients',
    description: 'Newest first, keyset-paginated; `q` searches the client_id and the display name.',
  })
  @ApiErrors(400)
  list(@Query() query: OAuthClientListQuery): Promise<OAuthClientPageDto> {
    return this.clients.list(query);
  }

  @Post()
  @Authenticated({ admin: true, session: true })
  @ApiOperation({
    summary: 'Register an OAuth client',
    description:
      'Its device requests are limited to `allowed_scopes` and shown under `display_name` as a registered app. With `confidential: true` it gets a secret, returned once in `client_secret`, that it must present at the /oauth endpoints; only such authenticated requests are shown as verified. With DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT=true, only registered clients can pair.',
  })
  @ApiErrors(400, 409)
  create(
    @Auth() principal: Principal,
    @Body() dto: CreateOAuthClientDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<OAuthClientWithSecretDto> {
    return this.clients.create(principal, dto, meta);
  }

  @Get(':client_id')
  @ApiOperation({ summary: 'Get a registered OAuth client' })
  @ApiErrors(400, 404)
  get(@Param() { client_id }: ClientIdParam): Promise<OAuthClientDto> {
    return this.clients.get(client_id);
  }

  @Patch(':client_id')
  @ApiOperation({
    summary: 'Rename a client or change its allowed scopes',
    description: 'Applies to new device requests; tokens already issued keep their scopes.',
  })
  @ApiErrors(400, 404)
  update(
    @Auth() principal: Principal,
    @Param() { client_id }: ClientIdParam,
    @Body() dto: UpdateOAuthClientDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<OAuthClientDto> {
    return this.clients.update(principal, client_id, dto, meta);
  }

  @Post(':client_id/secret')
  @Authenticated({ admin: true, session: true })
  @ApiOperation({
    summary: 'Give a client a new secret',
    description:
      'Returns the new `client_secret` once; the previous secret stops working at once. A public client becomes confidential: its devices must then authenticate.',
  })
  @ApiErrors(400, 404)
  rotateSecret(
    @Auth() principal: Principal,
    @Param() { client_id }: ClientIdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<OAuthClientWithSecretDto> {
    return this.clients.rotateSecret(principal, client_id, meta);
  }

  @Delete(':client_id/secret')
  @ApiOperation({
    summary: 'Make a client public',
    description:
      'Its secret stops working and is no longer asked for; its requests are no longer shown as verified.',
  })
  @ApiErrors(400, 404, 409)
  removeSecret(
    @Auth() principal: Principal,
    @Param() { client_id }: ClientIdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<OAuthClientDto> {
    return this.clients.removeSecret(principal, client_id, meta);
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Unregister a client',
    description:
      'Its devices can still pair as an unverified client unless registration is required.',
  })
  @ApiErrors(400, 404)
  remove(
    @Auth() principal: Principal,
    @Param() { client_id }: ClientIdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.clients.remove(principal, client_id, meta);
  }
}
