import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { ReqMeta } from '../common/request-meta.js';
import { SetupDto, SetupStatusDto } from './dto/admin-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { SetupService } from './setup.service.js';

@ApiTags('setup')
@Controller('api/setup')
@Public()
export class SetupController {
  constructor(private readonly setupService: SetupService) {}

  @Get()
  @ApiOperation({ summary: 'Whether first-run setup is still open' })
  async status(): Promise<SetupStatusDto> {
    return { setup_required: await this.setupService.isRequired() };
  }

  @Post()
  @ApiOperation({
    summary: 'Create the first admin with the one-time setup code',
    description:
      'The code is printed in the server log at first start; it dies once an admin exists.',
  })
  @ApiErrors(400, 403, 409, 429)
  setup(@Body() dto: SetupDto, @ReqMeta() meta: RequestMeta): Promise<UserDto> {
    return this.setupService.setup(dto, meta);
  }
}
