import { Global, Module } from '@nestjs/common';
import { RateLimiter, throttlerStorageProvider } from './rate-limiter.js';

@Global()
@Module({ providers: [throttlerStorageProvider, RateLimiter], exports: [RateLimiter] })
export class RateLimitModule {}
