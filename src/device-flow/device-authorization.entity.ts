import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * `expired` is never stored: a row is expired when `expires_at` has passed, whatever its
 * status says, so expiry needs no writer.
 */
export type DeviceAuthorizationStatus = 'pending' | 'approved' | 'denied' | 'consumed';

/**
 * One device authorization request (RFC 8628). Only the device code's hash is stored; the
 * client token is minted when the device collects it, so no raw secret waits at rest.
 */
@Entity('device_authorizations')
@Index('uq_device_authorizations_device_code_hash', ['deviceCodeHash'], { unique: true })
@Index('uq_device_authorizations_user_code', ['userCode'], { unique: true })
@Index('idx_device_authorizations_expires_at', ['expiresAt'])
@Index('idx_device_authorizations_user', ['userId'])
export class DeviceAuthorization {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** HMAC-SHA256(TOKEN_PEPPER, device_code), hex. */
  @Column({ name: 'device_code_hash', type: 'varchar', length: 64 })
  deviceCodeHash: string;

  /** Normalized: 8 upper-case letters, no dash. */
  @Column({ name: 'user_code', type: 'varchar', length: 8 })
  userCode: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeviceAuthorizationStatus;

  /** As the device sent it; registered or not is decided when it is shown. */
  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId: string | null;

  /** The name the device claims for its app (unverified). */
  @Column({ name: 'client_name', type: 'varchar', length: 100, nullable: true })
  clientName: string | null;

  @Column({ name: 'client_device_identifier', type: 'varchar', length: 255 })
  clientDeviceIdentifier: string;

  @Column({ name: 'device_name', type: 'varchar', length: 100, nullable: true })
  deviceName: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  platform: string | null;

  @Column({ name: 'client_version', type: 'varchar', length: 64, nullable: true })
  clientVersion: string | null;

  /** Space-separated, as requested. */
  @Column({ name: 'requested_scopes', type: 'varchar', length: 1024 })
  requestedScopes: string;

  /** Space-separated, as approved (a subset of the requested ones). */
  @Column({ name: 'granted_scopes', type: 'varchar', length: 1024, nullable: true })
  grantedScopes: string | null;

  /** The name the approving user gave the token, if any. */
  @Column({ name: 'token_name', type: 'varchar', length: 100, nullable: true })
  tokenName: string | null;

  /** When the token minted from this request stops working; null = never. */
  @Column({ name: 'token_expires_at', type: 'datetime', nullable: true })
  tokenExpiresAt: Date | null;

  /** The interval announced at init; slow_down growth is ephemeral (see DevicePollTracker). */
  @Column({ name: 'interval_seconds', type: 'integer' })
  intervalSeconds: number;

  @Column({ name: 'request_ip', type: 'varchar', length: 64, nullable: true })
  requestIp: string | null;

  @Column({ name: 'request_user_agent', type: 'varchar', length: 255, nullable: true })
  requestUserAgent: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date;

  /** Who approved or denied it. */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_device_authorizations_user' })
  user?: User;

  @Column({ name: 'decided_at', type: 'datetime', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'consumed_at', type: 'datetime', nullable: true })
  consumedAt: Date | null;

  /** The client token minted at collection, revoked if the code is presented again. */
  @Column({ name: 'issued_token_id', type: 'varchar', length: 36, nullable: true })
  issuedTokenId: string | null;

  @Column({ name: 'device_id', type: 'varchar', length: 36, nullable: true })
  deviceId: string | null;

  /** How the client authenticated at init (`client_secret_basic`, `client_secret_post`), or null. */
  @Column({ name: 'client_auth_method', type: 'varchar', length: 32, nullable: true })
  clientAuthMethod: string | null;

  /** Presentations of the device code after it was consumed. */
  @Column({ name: 'replay_count', type: 'integer', default: 0 })
  replayCount: number;

  /** How many of them the audit log has accounted for, and when it last did. */
  @Column({ name: 'replays_audited', type: 'integer', default: 0 })
  replaysAudited: number;

  @Column({ name: 'replay_audited_at', type: 'datetime', nullable: true })
  replayAuditedAt: Date | null;
}
