import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Device } from '../devices/device.entity.js';
import { User } from '../users/user.entity.js';

/** Scopes are stored space-separated (as OAuth writes them): portable and human-readable. */
export const scopeListTransformer = {
  to: (scopes: string[] | undefined) => (scopes === undefined ? undefined : scopes.join(' ')),
  from: (value: string | null) => (value ? value.split(' ').filter(Boolean) : []),
};

/**
 * A client token (`pgc_`): what a user gives an app or a device. Named, scoped, optionally
 * expiring, optionally bound to a device. Only the HMAC of the secret is stored.
 */
@Entity('client_tokens')
@Index('uq_client_tokens_token_hash', ['tokenHash'], { unique: true })
@Index('idx_client_tokens_user_created', ['userId', 'createdAt'])
@Index('idx_client_tokens_created', ['createdAt'])
@Index('idx_client_tokens_device', ['deviceId'])
@Index('idx_client_tokens_pair_code_hash', ['pairCodeHash'])
export class ClientToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_client_tokens_user' })
  user?: User;

  /** The device it is bound to. Deleting the device revokes the token first; SET NULL is the backstop. */
  @Column({ name: 'device_id', type: 'varchar', length: 36, nullable: true })
  deviceId: string | null;

  @ManyToOne(() => Device, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'fk_client_tokens_device' })
  device?: Device | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 1024, transformer: scopeListTransformer })
  scopes: string[];

  /** The first 8 characters after `pgc_`, for display; changes on rotation. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  /** HMAC-SHA256(TOKEN_PEPPER, token), hex. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** Null: never expires. */
  @Column({ name: 'expires_at', type: 'datetime', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'datetime', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'last_used_ip', type: 'varchar', length: 64, nullable: true })
  lastUsedIp: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'rotated_at', type: 'datetime', nullable: true })
  rotatedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt: Date | null;

  /** HMAC of the live pairing code, if any; a new code replaces it, use clears it. */
  @Column({ name: 'pair_code_hash', type: 'varchar', length: 64, nullable: true })
  pairCodeHash: string | null;

  @Column({ name: 'pair_code_expires_at', type: 'datetime', nullable: true })
  pairCodeExpiresAt: Date | null;
}

/**
 * The hash of every secret a rotation or a pairing exchange replaced, so presenting an old
 * secret is recognised and audited as `client_token.reuse_after_rotation`.
 */
@Entity('client_token_retired_secrets')
@Index('idx_client_token_retired_secrets_token', ['tokenId'])
export class RetiredClientTokenSecret {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'token_id', type: 'varchar', length: 36 })
  tokenId: string;

  @ManyToOne(() => ClientToken, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'token_id',
    foreignKeyConstraintName: 'fk_client_token_retired_secrets_token',
  })
  token?: ClientToken;

  @Column({ name: 'retired_at', type: 'datetime' })
  retiredAt: Date;
}
