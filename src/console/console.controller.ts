import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Req,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { ConsoleIndex, isConsolePath } from './console-files.js';

/**
 * The history fallback: every GET that no other route answers and that is not an API path
 * gets the console's index.html, and the console's router shows the page (`/setup`,
 * `/pair/device`, `/account/tokens`, ...). API paths keep their JSON 404.
 */
@ApiExcludeController()
@Controller()
@Public()
export class ConsoleController {
  constructor(private readonly index: ConsoleIndex) {}

  @Get('*')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(@Req() request: FastifyRequest): string {
    const path = request.url.split('?')[0]!;
    // The filter renders this like any unknown route: 404 "No route for GET /api/…".
    if (!isConsolePath(path)) throw new NotFoundException(`Cannot GET ${path}`);
    const html = this.index.get();
    if (html === null) {
      throw new ServiceUnavailableException('The console is not built: run `npm run build`.');
    }
    return html;
  }
}
