import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * A long-lived token (`pgl_`): one read-only scope, pasted once into a kiosk, a dashboard
 * card or an NVR. It always expires. Only the HMAC of the secret is stored, so a database
 * dump gives nobody a working token.
 */
@Entity('long_lived_tokens')
@Index('uq_long_lived_tokens_token_hash', ['tokenHash'], { unique: true })
@Index('idx_long_lived_tokens_user_created', ['userId', 'createdAt'])
@Index('idx_long_lived_tokens_created', ['createdAt'])
export class LongLivedToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_long_lived_tokens_user' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The first 8 characters after `pgl_`, for display. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  /** HMAC-SHA256(TOKEN_PEPPER, token), hex. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The one scope, registered with `longLived: true`. */
  @Column({ type: 'varchar', length: 64 })
  scope: string;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date;

  @Column({ name: 'last_used_at', type: 'datetime', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'last_used_ip', type: 'varchar', length: 64, nullable: true })
  lastUsedIp: string | null;

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;
}
