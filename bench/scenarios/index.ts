import type { BenchScenario } from '../bench-context.js';
import { auditListDeepPage, auditListFirstPage } from './audit-admin-list.js';
import { cameraSnapshotQueryToken } from './camera-snapshot-query-token.js';
import { clientTokenCreate } from './client-token-create.js';
import { deviceFlowInit } from './device-flow-init.js';
import { deviceFlowInitStored } from './device-flow-init-stored.js';
import { deviceFlowPoll } from './device-flow-poll.js';
import { usersMeDeviceToken } from './users-me-device-token.js';
import { usersMeSession } from './users-me-session.js';

/** Run in this order after the `/health/live` baseline; each is reported as a ratio to it. */
export const SCENARIOS: BenchScenario[] = [
  usersMeSession,
  deviceFlowInit,
  deviceFlowPoll,
  usersMeDeviceToken,
  cameraSnapshotQueryToken,
  clientTokenCreate,
  auditListFirstPage,
  auditListDeepPage,
  deviceFlowInitStored,
];
