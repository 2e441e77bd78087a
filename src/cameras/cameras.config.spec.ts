import { buildLongLivedTokensConfig } from '../long-lived-tokens/long-lived-tokens.config.js';
import { buildCamerasConfig } from './cameras.config.js';

describe('long-lived token and camera settings', () => {
  it('defaults to 365 days, three demo cameras, 5 fps, one-hour streams checked every 5 s', () => {
    expect(buildLongLivedTokensConfig({})).toEqual({ maxDays: 365 });
    expect(buildCamerasConfig({})).toEqual({
      names: ['Front door', 'Back yard', 'Garage'],
      fps: 5,
      maxStreamSeconds: 3600,
      recheckSeconds: 5,
    });
  });

  it('reads DEMO_CAMERAS as trimmed comma-separated names; empty means none', () => {
    expect(buildCamerasConfig({ DEMO_CAMERAS: ' Porch , Driveway' }).names).toEqual([
      'Porch',
      'Driveway',
    ]);
    expect(buildCamerasConfig({ DEMO_CAMERAS: '' }).names).toEqual([]);
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
    const load = name.startsWith('LONG_LIVED') ? buildLongLivedTokensConfig : buildCamerasConfig;
    expect(() => load(env)).toThrow(new RegExp(`^Invalid configuration:[\\s\\S]*${name}`));
  });
});
