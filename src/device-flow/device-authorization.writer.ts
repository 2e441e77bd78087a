import { Injectable } from '@nestjs/common';
import { AuditService, type AuditEventInput, type AuditedRow } from '../audit/audit.service.js';
import type { GroupCommit } from '../common/database/group-commit.js';
import type { DeviceAuthorization } from './device-authorization.entity.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';

/**
 * Writes new device authorization requests with their audit events, group-committed.
 *
 * `POST /oauth/device_authorization` is the one anonymous write, so the one an attacker can
 * spam: requests that arrive while a batch is committing go together in the next one (see
 * GroupCommit). Each row still commits in the same transaction as its own event.
 */
@Injectable()
export class DeviceAuthorizationWriter {
  private readonly batches: GroupCommit<AuditedRow<DeviceAuthorization>>;

  constructor(authorizations: DeviceAuthorizationsRepository, audit: AuditService) {
    this.batches = audit.groupCommit((manager, rows) => authorizations.insertMany(manager, rows));
  }

  /** Resolves once the row and its event have committed; rejects with the database error. */
  insert(row: DeviceAuthorization, audit: AuditEventInput): Promise<void> {
    return this.batches.submit({ row, audit });
  }
}
