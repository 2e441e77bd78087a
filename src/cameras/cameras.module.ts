import { ConfigModule } from '@nestjs/config';
import { Module } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { CAMERA_SCOPES } from './camera.scopes.js';
import { CameraFrameRenderer } from './camera-frame.renderer.js';
import { CamerasController } from './cameras.controller.js';
import { CamerasService } from './cameras.service.js';
import { camerasConfig } from './cameras.config.js';

/**
 * The example extension module: the model a team copies to add its own module and scopes.
 * It registers `camera.stream` (long-lived) from here, in the module's constructor, which
 * Nest runs while building the app: before the API document is generated and before the
 * first request, so the scope is in the document, the OAuth metadata and the console.
 */
@Module({
  imports: [ConfigModule.forFeature(camerasConfig)],
  controllers: [CamerasController],
  providers: [CamerasService, CameraFrameRenderer],
})
export class CamerasModule {
  constructor(scopes: ScopeRegistry) {
    scopes.registerAll(CAMERA_SCOPES);
  }
}
