// Runs before every test file: a quiet, deterministic environment. Each file gets its own
// database from createTestApp().
process.env.NODE_ENV = 'test';
process.env.TOKEN_PEPPER ??= 'test-pepper-0123456789abcdefghijklmnopqrstuvwxyz';
process.env.AUDIT_KEY ??= 'test-audit-key-0123456789abcdefghijklmnopqrstuvwxyz';
process.env.LOG_LEVEL ??= 'silent';
process.env.LOGIN_RATE_LIMIT_PER_USERNAME ??= '1000';
process.env.LOGIN_RATE_LIMIT_PER_IP ??= '1000';
process.env.INVALID_TOKEN_RATE_LIMIT_PER_IP ??= '1000';
delete process.env.ADMIN_USERNAME;
delete process.env.ADMIN_PASSWORD;
delete process.env.REDIS_URL;
