import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import { Device } from './device.entity.js';
import { containsPattern } from '../common/database/like-pattern.js';
import { newRowId } from '../common/row-id.js';

export interface DeviceDescription {
  clientDeviceIdentifier: string;
  name?: string | null;
  client?: string | null;
  platform?: string | null;
  clientVersion?: string | null;
}

export interface DeviceFilter {
  userId?: string;
  /** Matches the name or the identifier. */
  q?: string;
  after?: Keyset;
  limit: number;
}

@Injectable()
export class DevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(Device);
  }

  count(): Promise<number> {
    return this.repo().count();
  }

  /**
   * The device `(user, identifier)`, created if new. The insert ignores a duplicate key, so
   * two approvals racing for the same new device end with one row, not an error.
   */
  async findOrCreate(
    manager: EntityManager,
    userId: string,
    description: DeviceDescription,
    name: string,
    now: Date,
  ): Promise<{ device: Device; created: boolean }> {
    const id = newRowId();
    await manager
      .createQueryBuilder()
      .insert()
      .into(Device)
      .values({
        id,
        userId,
        clientDeviceIdentifier: description.clientDeviceIdentifier,
        name,
        client: description.client ?? null,
        platform: description.platform ?? null,
        clientVersion: description.clientVersion ?? null,
        createdAt: now,
        lastSeenAt: null,
      })
      .orIgnore()
      .execute();
    const device = await this.repo(manager).findOneByOrFail({
      userId,
      clientDeviceIdentifier: description.clientDeviceIdentifier,
    });
    return { device, created: device.id === id };
  }

  /** What a re-paired device says about itself now (its app may have been updated). */
  async refreshDescription(
    manager: EntityManager,
    id: string,
    patch: Pick<Device, 'client' | 'platform' | 'clientVersion'>,
  ): Promise<void> {
    await this.repo(manager).update({ id }, patch);
  }

  findOwned(userId: string, id: string, manager?: EntityManager): Promise<Device | null> {
    return this.repo(manager).findOneBy({ id, userId });
  }

  findById(id: string, manager?: EntityManager): Promise<Device | null> {
    return this.repo(manager).findOne({ where: { id }, relations: { user: true } });
  }

  /** Newest first, keyset-paginated; fetches one extra row to tell if there is a next page. */
  list(filter: DeviceFilter): Promise<Device[]> {
    const query = this.repo().createQueryBuilder('d').innerJoinAndSelect('d.user', 'u');
    if (filter.userId) query.andWhere('d.user_id = :userId', { userId: filter.userId });
    if (filter.q) {
      query.andWhere(
        "(d.name LIKE :q ESCAPE '!' OR d.client_device_identifier LIKE :q ESCAPE '!')",
        {
          q: containsPattern(filter.q),
        },
      );
    }
    return newestFirstPage(query, 'd', filter.limit, filter.after).getMany();
  }

  async rename(manager: EntityManager, id: string, name: string): Promise<void> {
    await this.repo(manager).update({ id }, { name });
  }

  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const result = await this.repo(manager).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** The debounced activity write: a no-op if the row was touched after `threshold`. */
  async touch(id: string, now: Date, threshold: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(Device)
      .set({ lastSeenAt: now })
      .where('id = :id AND (last_seen_at IS NULL OR last_seen_at < :threshold)', { id, threshold })
      .execute();
  }
}
