import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** What an event says: recorded by the writer, the same before and after sealing. */
export abstract class AuditEventContent {
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
}

/** An event's content as a plain object (what the writer builds and the MAC covers). */
export type AuditEventFields = { [K in keyof AuditEventContent]: AuditEventContent[K] };

/**
 * One link of the tamper-evident audit log. `id` is the chain position, gap-free, given by
 * the sealer (`AuditSealer`) when it moves the event out of `audit_pending`.
 */
@Entity('audit_events')
@Index('idx_audit_events_created_at', ['createdAt'])
@Index('idx_audit_events_action', ['action'])
@Index('idx_audit_events_actor_user', ['actorUserId'])
@Index('idx_audit_events_target', ['targetType', 'targetId'])
@Index('idx_audit_events_actor_token', ['actorTokenId'])
@Index('idx_audit_events_actor_device', ['actorDeviceId'])
@Index('idx_audit_events_ip', ['ip'])
export class AuditEvent extends AuditEventContent {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/**
 * An event committed with its change but not sealed into the chain yet. Writers insert
 * here without any shared lock; the sealer chains these in `id` order and deletes them in
 * the same transaction. `mac` (HMAC with AUDIT_KEY over the content) lets the sealer refuse
 * a row someone wrote into this table without the key.
 */
@Entity('audit_pending')
export class AuditPendingEvent extends AuditEventContent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  mac: string;
}

/** The chain's head: locked by the sealer (and retention) so the chain never forks. */
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
