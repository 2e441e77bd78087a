import { buildAuditLogConfig } from './audit-log/audit-log.config.js';
import { buildCamerasConfig } from './cameras/cameras.config.js';
import { buildClientTokensConfig } from './client-tokens/client-tokens.config.js';
import { validateEnvironment } from './config/environment.js';
import { ConfigurationError } from './config/validate-config.js';
import { buildDeviceFlowConfig } from './device-flow/device-flow.config.js';
import { buildLongLivedTokensConfig } from './long-lived-tokens/long-lived-tokens.config.js';
import { buildMetricsConfig } from './metrics/metrics.config.js';
import { buildTokenLeaksConfig } from './token-leaks/token-leaks.config.js';
import { buildUsersConfig } from './users/users.config.js';

/**
 * Every module's settings (core's and each feature's `<module>.config.ts`), so `main.ts`
 * can check them all before Nest starts and name every bad variable at once. Each module
 * still loads its own with `ConfigModule.forFeature`.
 */
const SETTINGS: Array<(env: Record<string, unknown>) => unknown> = [
  validateEnvironment,
  buildUsersConfig,
  buildDeviceFlowConfig,
  buildClientTokensConfig,
  buildLongLivedTokensConfig,
  buildCamerasConfig,
  buildMetricsConfig,
  buildAuditLogConfig,
  buildTokenLeaksConfig,
];

/** Null when every setting is valid; otherwise the message naming each problem. */
export function settingsProblems(
  env: Record<string, unknown> = process.env as Record<string, unknown>,
): string | null {
  const problems: string[] = [];
  for (const validate of SETTINGS) {
    try {
      validate(env);
    } catch (err) {
      if (!(err instanceof ConfigurationError)) throw err;
      problems.push(...err.problems);
    }
  }
  return problems.length > 0 ? new ConfigurationError(problems).message : null;
}
