import { AuditChainHead, AuditEvent } from '../audit/audit-event.entity.js';
import { Session } from '../users/session.entity.js';
import { User } from '../users/user.entity.js';
import { DeviceAuthorization } from '../device-flow/device-authorization.entity.js';
import { OAuthClient } from '../device-flow/oauth-client.entity.js';
import { ClientToken, RetiredClientTokenSecret } from '../client-tokens/client-token.entity.js';
import { Device } from '../devices/device.entity.js';
import { LongLivedToken } from '../long-lived-tokens/long-lived-token.entity.js';

/**
 * Every entity, for the app, the migration CLI and the schema-drift test. A module adding
 * tables adds its entities here and a migration in migrations/.
 */
export const ENTITIES = [
  User,
  Session,
  AuditEvent,
  AuditChainHead,
  DeviceAuthorization,
  OAuthClient,
  Device,
  ClientToken,
  RetiredClientTokenSecret,
  LongLivedToken,
];
