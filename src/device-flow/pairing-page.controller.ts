import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { PAIRING_PAGE_HTML } from './pairing-page.js';

@ApiTags('device flow')
@Controller('pair')
export class PairingPageController {
  @Get('device')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    summary: 'The pairing page (verification_uri)',
    description:
      'Sign in, enter or arrive with `?user_code=`, review what the device asks for, approve or deny.',
  })
  @ApiProduces('text/html')
  page(): string {
    return PAIRING_PAGE_HTML;
  }
}
