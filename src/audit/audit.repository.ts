import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, MoreThan } from 'typeorm';
import { AuditChainHead, AuditEvent } from './audit-event.entity.js';

@Injectable()
export class AuditRepository {
  private readonly lockable: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.lockable = dataSource.options.type !== 'better-sqlite3';
  }

  /** Locks the head row (MySQL) so concurrent writers queue instead of forking the chain. */
  async lockHead(manager: EntityManager): Promise<AuditChainHead> {
    const query = manager.createQueryBuilder(AuditChainHead, 'head').where('head.id = 1');
    const head = await (this.lockable ? query.setLock('pessimistic_write') : query).getOne();
    if (!head) throw new Error('audit_chain_head row is missing: run the migrations');
    return head;
  }

  /** Consecutive events, in one multi-row insert; the head moves to the last. */
  async appendMany(manager: EntityManager, events: AuditEvent[]): Promise<void> {
    const last = events[events.length - 1];
    await manager.insert(AuditEvent, events);
    await manager.update(AuditChainHead, { id: 1 }, { lastId: last.id, lastHash: last.hash });
  }

  findBatchAfter(id: number, limit: number): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({
      where: { id: MoreThan(id) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  findHead(): Promise<AuditChainHead | null> {
    return this.dataSource.getRepository(AuditChainHead).findOneBy({ id: 1 });
  }
}
