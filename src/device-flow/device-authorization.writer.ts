import { Injectable } from '@nestjs/common';
import { AuditService, type AuditEventInput } from '../audit/audit.service.js';
import { GroupCommit } from '../common/database/group-commit.js';
import { Transactions } from '../common/database/transactions.js';
import type { DeviceAuthorization } from './device-authorization.entity.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';

interface NewAuthorization {
  row: DeviceAuthorization;
  audit: AuditEventInput;
}

/**
 * Writes new device authorization requests with their audit events, group-committed.
 *
 * `POST /oauth/device_authorization` is the one anonymous write, so the one an attacker can
 * spam: requests that arrive while a batch is committing go together in the next one (see
 * GroupCommit). Each row still commits in the same transaction as its own event.
 */
@Injectable()
export class DeviceAuthorizationWriter {
  private readonly batches: GroupCommit<NewAuthorization>;

  constructor(
    private readonly authorizations: DeviceAuthorizationsRepository,
    private readonly audit: AuditService,
    transactions: Transactions,
  ) {
    this.batches = new GroupCommit(transactions, async (manager, items) => {
      await this.authorizations.insertMany(
        manager,
        items.map((item) => item.row),
      );
      await this.audit.recordBatch(
        manager,
        items.map((item) => item.audit),
      );
    });
  }

  /** Resolves once the row and its event have committed; rejects with the database error. */
  insert(row: DeviceAuthorization, audit: AuditEventInput): Promise<void> {
    return this.batches.submit({ row, audit });
  }
}
