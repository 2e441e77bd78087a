import type { EntityManager } from 'typeorm';

export interface DeviceTokenMintInput {
  userId: string;
  device: {
    clientDeviceIdentifier: string;
    name?: string | null;
    client?: string | null;
    platform?: string | null;
    clientVersion?: string | null;
  };
  name: string;
  scopes: string[];
  expiresAt: Date | null;
}

export interface MintedDeviceToken {
  raw: string;
  tokenId: string;
  deviceId: string;
  expiresAt: Date | null;
  scopes: string[];
  /** The device's earlier tokens, revoked in the same transaction: one live token per device. */
  supersededTokenIds: string[];
}

/**
 * What the device flow needs from the module that owns client tokens and devices, both
 * inside the caller's transaction. Bound to ClientTokensService in DeviceFlowModule.
 */
export abstract class DeviceTokenIssuer {
  /** Creates or reuses the Device `(user_id, client_device_identifier)` and mints a token bound to it. */
  abstract mintForDevice(
    manager: EntityManager,
    input: DeviceTokenMintInput,
  ): Promise<MintedDeviceToken>;

  /**
   * The expiry a token with these scopes would get (null: never), by the client-token policy:
   * what approve tells the person is what the device's token gets.
   */
  abstract clampExpiry(requested: Date | null, scopes: readonly string[], now: Date): Date | null;

  /** Returns whether this call revoked it (false if it was already revoked or unknown). */
  abstract revokeInTransaction(
    manager: EntityManager,
    tokenId: string,
    now: Date,
  ): Promise<boolean>;
}
