import { buildAppConfig } from '../config/app.config.js';
import { validateEnvironment } from '../config/environment.js';

const secrets = { TOKEN_PEPPER: 'p'.repeat(32), AUDIT_KEY: 'a'.repeat(32) };
const config = (env: Record<string, string>) =>
  buildAppConfig(validateEnvironment({ ...secrets, ...env }));

describe('long-lived token and camera settings', () => {
  it('defaults to 365 days, three demo cameras, 5 fps, one-hour streams checked every 5 s', () => {
    const { longLivedTokens, cameras } = config({});
    expect(longLivedTokens).toEqual({ maxDays: 365 });
    expect(cameras).toEqual({
      names: ['Front door', 'Back yard', 'Garage'],
      fps: 5,
      maxStreamSeconds: 3600,
      recheckSeconds: 5,
    });
  });

  it('reads DEMO_CAMERAS as trimmed comma-separated names; empty means none', () => {
    expect(config({ DEMO_CAMERAS: ' Porch , Driveway' }).cameras.names).toEqual([
      'Porch',
      'Driveway',
    ]);
    expect(config({ DEMO_CAMERAS: '' }).cameras.names).toEqual([]);
  });

  it.each([
    [{ LONG_LIVED_TOKEN_MAX_DAYS: '0' }, 'LONG_LIVED_TOKEN_MAX_DAYS'],
    [{ LONG_LIVED_TOKEN_MAX_DAYS: 'forever' }, 'LONG_LIVED_TOKEN_MAX_DAYS'],
    [{ DEMO_CAMERAS: 'a,,b' }, 'DEMO_CAMERAS'],
    [{ DEMO_CAMERAS: 'x'.repeat(65) }, 'DEMO_CAMERAS'],
    [{ CAMERA_STREAM_FPS: '0' }, 'CAMERA_STREAM_FPS'],
    [{ CAMERA_STREAM_FPS: '60' }, 'CAMERA_STREAM_FPS'],
    [{ CAMERA_STREAM_MAX_SECONDS: '-1' }, 'CAMERA_STREAM_MAX_SECONDS'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(() => validateEnvironment(env)).toThrow(new RegExp(`${name}`));
  });
});
