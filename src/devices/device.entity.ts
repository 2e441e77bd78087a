import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * A device a user paired: a TV, a game launcher, a CLI. Identified per user by what the
 * device calls itself (`client_device_identifier`), so pairing the same device again reuses
 * this row instead of piling up duplicates.
 */
@Entity('devices')
@Index('uq_devices_user_identifier', ['userId', 'clientDeviceIdentifier'], { unique: true })
@Index('idx_devices_user_created', ['userId', 'createdAt'])
export class Device {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_devices_user' })
  user?: User;

  @Column({ name: 'client_device_identifier', type: 'varchar', length: 255 })
  clientDeviceIdentifier: string;

  /** What the owner calls it; the device's own suggestion until renamed. */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The app on the device, as it names itself (unverified). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  client: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  platform: string | null;

  @Column({ name: 'client_version', type: 'varchar', length: 64, nullable: true })
  clientVersion: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  /** Written by the bearer guard at most once every 5 minutes. */
  @Column({ name: 'last_seen_at', type: 'datetime', nullable: true })
  lastSeenAt: Date | null;
}
