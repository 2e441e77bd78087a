import type { BenchScenario } from '../bench-context.js';
import { deviceFlowInit } from './device-flow-init.js';

const STORED = 1_000_000;

/**
 * How the seeded rows are keyed: `v7` (the default) as this server keys them, in creation
 * order; `random` as builds before the UUIDv7 change did, to compare the two on one build.
 */
const SEEDED_IDS = process.env.BENCH_SEEDED_IDS ?? 'v7';

/**
 * A week of finished requests, as the retention keeps them: 1,000,000 rows made by MariaDB
 * itself (`seq_1_to_N`), one every 0.6 s going back a week, before the same load as
 * `POST /api/auth/device/init`. The table is then several times MariaDB's default buffer
 * pool (128 MiB), which is where random keys make every insert read and dirty a random page.
 */
export const deviceFlowInitStored: BenchScenario = {
  name: `POST /api/auth/device/init (${STORED / 1_000_000}M stored requests)`,
  needsMysql: "the stored requests are made by MariaDB's seq_1_to_N",
  async prepare(ctx) {
    const started = Date.now();
    const ms = `(UNIX_TIMESTAMP(UTC_TIMESTAMP()) * 1000 - (${STORED} - seq) * 600)`;
    // 32 hex digits, laid out as a UUID of the given version: version 7 starts with the
    // 48-bit time in milliseconds, version 4 is random throughout.
    const hex =
      SEEDED_IDS === 'random'
        ? 'MD5(seq)'
        : `CONCAT(LOWER(LPAD(HEX(${ms}), 12, '0')), SUBSTR(MD5(seq), 13))`;
    const version = SEEDED_IDS === 'random' ? '4' : '7';
    const id = `CONCAT(SUBSTR(h, 1, 8), '-', SUBSTR(h, 9, 4), '-${version}', SUBSTR(h, 14, 3), '-8', SUBSTR(h, 18, 3), '-', SUBSTR(h, 21, 12))`;
    await ctx.sql(
      `INSERT INTO device_authorizations (id, device_code_hash, user_code, status, client_id,
         client_name, client_device_identifier, requested_scopes, interval_seconds, request_ip,
         request_user_agent, created_at, expires_at, replay_count, replays_audited)
       SELECT ${id}, SHA2(seq, 256), LPAD(CONV(seq, 10, 36), 8, '0'), 'expired', 'bench-tv',
         'Bench TV', CONCAT('seeded-', seq), 'me.read devices.read', 5, '10.0.0.1', 'bench-agent/1.0',
         FROM_UNIXTIME(${ms} / 1000), FROM_UNIXTIME(${ms} / 1000 + 600), 0, 0
       FROM (SELECT seq, ${hex} AS h FROM seq_1_to_${STORED}) AS seeded`,
    );
    console.log(
      `  seeded ${STORED} device authorizations (${SEEDED_IDS} keys) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return deviceFlowInit.prepare(ctx);
  },
  verify: (ctx, run) => deviceFlowInit.verify!(ctx, run),
};
