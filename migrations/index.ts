import { Foundation1764000000000 } from './1764000000000-Foundation.js';
import { ClientTokensAndDevices1764000001000 } from './1764000001000-ClientTokensAndDevices.js';
import { LongLivedTokens1764000002000 } from './1764000002000-LongLivedTokens.js';
import { DeviceFlow1764000003000 } from './1764000003000-DeviceFlow.js';
import { Hardening1764000004000 } from './1764000004000-Hardening.js';
import { AuditLog1764000005000 } from './1764000005000-AuditLog.js';
import { Introspection1764000006000 } from './1764000006000-Introspection.js';
import { AuditSealer1764000007000 } from './1764000007000-AuditSealer.js';

/** In order. Listed explicitly: ESM builds cannot glob-load migration files. */
export const MIGRATIONS = [
  Foundation1764000000000,
  ClientTokensAndDevices1764000001000,
  LongLivedTokens1764000002000,
  DeviceFlow1764000003000,
  Hardening1764000004000,
  AuditLog1764000005000,
  Introspection1764000006000,
  AuditSealer1764000007000,
];
