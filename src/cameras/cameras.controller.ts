import { Controller, Get, Header, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { CameraScope } from './camera.scopes.js';
import { CamerasService } from './cameras.service.js';
import { CameraDto, CameraIdParam } from './dto/camera.dto.js';
import { MJPEG_CONTENT_TYPE } from './mjpeg.stream.js';

/**
 * The example extension module's routes. Every one requires `camera.stream`, so a long-lived
 * token holding it works here and nowhere else. The image routes also take the token as
 * `?access_token=` for `<img src>`, and may be embedded by other origins (a dashboard).
 */
@ApiTags('cameras')
@Controller('api/cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Get()
  @Authenticated({ scopes: [CameraScope.Stream] })
  @ApiOperation({ summary: 'List the cameras you may view' })
  list(): CameraDto[] {
    return this.cameras.list();
  }

  @Get(':id/snapshot')
  @Authenticated({ scopes: [CameraScope.Stream], allowQueryToken: true })
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  @ApiOperation({
    summary: 'A JPEG of what the camera sees now',
    description:
      'Works as `<img src="/api/cameras/1/snapshot?access_token=pgl_…">` with a long-lived token.',
  })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'A JPEG image', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 404)
  snapshot(
    @Param() { id }: CameraIdParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Buffer {
    const jpeg = this.cameras.snapshot(id);
    // Set here, not with @Header: an error answered instead must stay JSON.
    void reply.type('image/jpeg');
    return jpeg;
  }

  @Get(':id/stream')
  @Authenticated({ scopes: [CameraScope.Stream], allowQueryToken: true })
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  @ApiOperation({
    summary: "The camera's live MJPEG stream",
    description:
      'A `multipart/x-mixed-replace` stream of JPEG parts that runs until you disconnect (or CAMERA_STREAM_MAX_SECONDS). Works as `<img src="/api/cameras/1/stream?access_token=pgl_…">`. Revoking the token (or disabling its user) ends an open stream within CAMERA_STREAM_RECHECK_SECONDS (5).',
  })
  @ApiProduces(MJPEG_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'An endless multipart body, one JPEG per part',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors(400, 404)
  stream(@Auth() principal: Principal, @Param() { id }: CameraIdParam): StreamableFile {
    return new StreamableFile(this.cameras.stream(principal, id), { type: MJPEG_CONTENT_TYPE });
  }
}
