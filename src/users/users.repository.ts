import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { containsPattern } from '../common/database/like-pattern.js';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import { User } from './user.entity.js';

export interface UserListFilter {
  q?: string;
  role?: 'admin' | 'user';
  after?: Keyset;
  limit: number;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(User);
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.repo().findOneBy({ username });
  }

  async hasActiveAdmin(): Promise<boolean> {
    return (await this.repo().countBy({ role: 'admin', disabledAt: IsNull() })) > 0;
  }

  /** Every account, and how many of them are admins and disabled (the admin dashboard). */
  async countByState(): Promise<{ total: number; admins: number; disabled: number }> {
    const [total, admins, disabled] = await Promise.all([
      this.repo().count(),
      this.repo().countBy({ role: 'admin' }),
      this.repo().countBy({ disabledAt: Not(IsNull()) }),
    ]);
    return { total, admins, disabled };
  }

  async insert(manager: EntityManager, user: User): Promise<void> {
    await manager.insert(User, user);
  }

  async update(manager: EntityManager, id: string, patch: Partial<User>): Promise<void> {
    await manager.update(User, { id }, patch);
  }

  /** Newest first, keyset-paginated; fetches one extra row to tell if there is a next page. */
  list(filter: UserListFilter): Promise<User[]> {
    const query = this.repo().createQueryBuilder('u');
    if (filter.q) {
      query.andWhere("(u.username LIKE :q ESCAPE '!' OR u.email LIKE :q ESCAPE '!')", {
        q: containsPattern(filter.q),
      });
    }
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    return newestFirstPage(query, 'u', filter.limit, filter.after).getMany();
  }
}
