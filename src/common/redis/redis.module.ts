import { Global, Module } from '@nestjs/common';
import { EvictionBus } from './eviction-bus.js';
import { RedisConnections } from './redis-connections.js';

export { RedisConnections };

@Global()
@Module({ providers: [RedisConnections, EvictionBus], exports: [RedisConnections, EvictionBus] })
export class RedisModule {}
