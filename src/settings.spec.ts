import { settingsProblems } from './settings.js';

const valid = { TOKEN_PEPPER: 'p'.repeat(32), AUDIT_KEY: 'a'.repeat(32) };

describe("every module's settings, checked at start", () => {
  it('finds nothing wrong with the defaults', () => {
    expect(settingsProblems(valid)).toBeNull();
  });

  it.each([
    [{ METRICS_ENABLED: 'true' }, 'METRICS_TOKEN'],
    [{ METRICS_ENABLED: 'true', METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ ADMIN_USERNAME: 'root' }, 'ADMIN_USERNAME and ADMIN_PASSWORD must be set together'],
    [{ DEVICE_POLL_INTERVAL_SECONDS: '0' }, 'DEVICE_POLL_INTERVAL_SECONDS'],
    [{ CLIENT_TOKEN_MAX_TTL_DAYS: 'ever' }, 'CLIENT_TOKEN_MAX_TTL_DAYS'],
    [{ CAMERA_STREAM_FPS: '0' }, 'CAMERA_STREAM_FPS'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(settingsProblems({ ...valid, ...env })).toMatch(
      new RegExp(`^Invalid configuration:[\\s\\S]*${name}`),
    );
  });

  it.each([
    [{ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', 'short'],
    [{ METRICS_ENABLED: 'true', METRICS_TOKEN: 'abc123' }, 'METRICS_TOKEN', 'abc123'],
  ])('names the variable in %o and never echoes the secret', (env, name, secret) => {
    const message = settingsProblems({ ...valid, ...env }) ?? '';
    expect(message).toContain(name);
    expect(message).not.toContain(secret);
  });

  it('names every bad variable of every module at once', () => {
    const message = settingsProblems({
      PORT: 'eighty',
      CAMERA_STREAM_FPS: '0',
      LONG_LIVED_TOKEN_MAX_DAYS: '0',
    });
    expect(message).toContain('PORT');
    expect(message).toContain('CAMERA_STREAM_FPS');
    expect(message).toContain('LONG_LIVED_TOKEN_MAX_DAYS');
  });
});
