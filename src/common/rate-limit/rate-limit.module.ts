import { Global, Module } from '@nestjs/common';
import { RateLimiter, rateLimitStoresProvider } from './rate-limiter.js';

@Global()
@Module({ providers: [rateLimitStoresProvider, RateLimiter], exports: [RateLimiter] })
export class RateLimitModule {}
