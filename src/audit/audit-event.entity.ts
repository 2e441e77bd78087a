import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** One link of the tamper-evident audit log. `id` is the chain position, gap-free. */
@Entity('audit_events')
@Index('idx_audit_events_created_at', ['createdAt'])
@Index('idx_audit_events_action', ['action'])
@Index('idx_audit_events_actor_user', ['actorUserId'])
@Index('idx_audit_events_target', ['targetType', 'targetId'])
@Index('idx_audit_events_actor_token', ['actorTokenId'])
@Index('idx_audit_events_actor_device', ['actorDeviceId'])
@Index('idx_audit_events_ip', ['ip'])
export class AuditEvent {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'actor_user_id', type: 'varchar', length: 36, nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_username', type: 'varchar', length: 64, nullable: true })
  actorUsername: string | null;

  @Column({ name: 'actor_token_kind', type: 'varchar', length: 16, nullable: true })
  actorTokenKind: string | null;

  @Column({ name: 'actor_token_id', type: 'varchar', length: 36, nullable: true })
  actorTokenId: string | null;

  @Column({ name: 'actor_device_id', type: 'varchar', length: 36, nullable: true })
  actorDeviceId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: AuditOutcome;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent: string | null;

  /** JSON; never secrets. */
  @Column({ type: 'text', nullable: true })
  details: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/** The chain's head: locked by every writer so the chain never forks. */
@Entity('audit_chain_head')
export class AuditChainHead {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'last_id', type: 'integer' })
  lastId: number;

  @Column({ name: 'last_hash', type: 'varchar', length: 64 })
  lastHash: string;

  /** The first event kept (retention deletes the ones before it). */
  @Column({ name: 'first_id', type: 'integer', default: 1 })
  firstId: number;

  /** The hash the first kept event links to (the genesis hash until retention prunes). */
  @Column({
    name: 'first_prev_hash',
    type: 'varchar',
    length: 64,
    default: '0000000000000000000000000000000000000000000000000000000000000000',
  })
  firstPrevHash: string;

  /** HMAC(AUDIT_KEY) over both ends and the count: see `headSignature`. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  signature: string | null;
}
