import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TokenLeaksController } from './token-leaks.controller.js';
import { tokenLeaksConfig } from './token-leaks.config.js';
import { TokenLeaksService } from './token-leaks.service.js';

/** Leaked-token reports: revoke what a secret scanner found, for every token kind. */
@Module({
  imports: [ConfigModule.forFeature(tokenLeaksConfig)],
  controllers: [TokenLeaksController],
  providers: [TokenLeaksService],
})
export class TokenLeaksModule {}
