import { DevicesService } from './devices.service.js';

describe('DevicesService.defaultName', () => {
  it("prefers the device's own name, then app and platform, then a placeholder", () => {
    const id = { clientDeviceIdentifier: 'x' };
    expect(DevicesService.defaultName({ ...id, name: ' Den TV ', client: 'Kodi' })).toBe('Den TV');
    expect(DevicesService.defaultName({ ...id, client: 'Kodi', platform: 'linux' })).toBe(
      'Kodi on linux',
    );
    expect(DevicesService.defaultName({ ...id, platform: 'linux' })).toBe('linux');
    expect(DevicesService.defaultName({ ...id, name: '  ', client: null })).toBe('Unnamed device');
    expect(DevicesService.defaultName({ ...id, name: 'n'.repeat(300) })).toHaveLength(100);
  });
});
