import { MIGRATIONS } from '../migrations/index.js';
import { AuditChainHead, AuditEvent, AuditPendingEvent } from './audit/audit-event.entity.js';
import { ClientToken, RetiredClientTokenSecret } from './client-tokens/client-token.entity.js';
import type { DatabaseSchema } from './config/database-options.js';
import { DeviceAuthorization } from './device-flow/device-authorization.entity.js';
import { OAuthClient } from './device-flow/oauth-client.entity.js';
import { Device } from './devices/device.entity.js';
import { LongLivedToken } from './long-lived-tokens/long-lived-token.entity.js';
import { Session } from './users/session.entity.js';
import { User } from './users/user.entity.js';

/**
 * Every table the service has: the entities of each module and the migrations that make
 * them, for the app (AppModule), the migration CLI (ormconfig.ts) and the schema-drift test.
 * A module adding tables adds its entities here and a migration in migrations/; core
 * (src/config, src/common) never names a module's entity.
 */
export const SCHEMA: DatabaseSchema = {
  entities: [
    User,
    Session,
    AuditEvent,
    AuditPendingEvent,
    AuditChainHead,
    DeviceAuthorization,
    OAuthClient,
    Device,
    ClientToken,
    RetiredClientTokenSecret,
    LongLivedToken,
  ],
  migrations: MIGRATIONS,
};
