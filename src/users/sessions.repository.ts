import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenTable } from '../auth/token-table.js';
import { Session } from './session.entity.js';

/** Login sessions: everything is the shared token-table queries. */
@Injectable()
export class SessionsRepository extends TokenTable<Session> {
  constructor(dataSource: DataSource) {
    super(dataSource, Session);
  }
}
