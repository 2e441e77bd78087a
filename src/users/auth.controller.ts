import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { ReqMeta } from '../common/request-meta.js';
import { LoginDto } from './dto/credentials.dto.js';
import { LoginResponseDto } from './dto/login-response.dto.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with a username and password',
    description:
      'Returns a `pgs_` session token, shown once. Throttled per IP and per username; a wrong username and a wrong password get the same answer.',
  })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @ReqMeta() meta: RequestMeta): Promise<LoginResponseDto> {
    return this.sessions.login(dto, meta);
  }

  @Post('logout')
  @Authenticated({ session: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the current login session',
    description: 'The session token stops working at once.',
  })
  @ApiErrors(400)
  logout(@Auth() principal: Principal, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.sessions.logout(principal, meta);
  }
}
