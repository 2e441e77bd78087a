import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { ReqMeta, type RequestMeta } from '../common/request-meta.js';
import { TokenLeakReceiptDto, TokenLeakReportDto } from './dto/token-leak.dto.js';
import { TokenLeaksService } from './token-leaks.service.js';

@ApiTags('token leaks')
@Controller('api/token-leaks')
@Public()
export class TokenLeaksController {
  constructor(private readonly leaks: TokenLeaksService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Report leaked tokens',
    description:
      'For secret scanners and anyone who finds a pairgate token in public: send up to 100 strings (and where they were found). Every one that is a live pairgate token is revoked at once, and its owner sees the report in their security log. The answer is the same whether anything matched or not. Throttled per address (TOKEN_LEAK_RATE_LIMIT_PER_IP a minute).',
  })
  @ApiErrors(400, 429)
  report(
    @Body() dto: TokenLeakReportDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<TokenLeakReceiptDto> {
    return this.leaks.report(dto, meta);
  }
}
