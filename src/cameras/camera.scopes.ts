import type { ScopeDefinition } from '../auth/scope.registry.js';

/** The scopes this module adds. Routes name them through this object, never as strings. */
export const CameraScope = {
  Stream: 'camera.stream',
} as const;

export const CAMERA_SCOPES: ScopeDefinition[] = [
  // Read-only and single-purpose, so a long-lived token may hold it (a camera card, a kiosk).
  { name: CameraScope.Stream, description: 'View camera streams', longLived: true },
];
