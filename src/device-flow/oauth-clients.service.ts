import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { EvictionBus } from '../common/redis/eviction-bus.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { decodeCursor, type PageQuery, toPage } from '../common/pagination.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { DeviceFlowError } from './device-flow.errors.js';
import {
  type CreateOAuthClientDto,
  OAuthClientDto,
  type OAuthClientPageDto,
  type UpdateOAuthClientDto,
} from './dto/oauth-client.dto.js';
import { OAuthClient } from './oauth-client.entity.js';
import { OAuthClientsRepository } from './oauth-clients.repository.js';

/** What a device authorization request needs to know about its client. */
export interface RegisteredClient {
  clientId: string;
  displayName: string;
  allowedScopes: string[];
}

/**
 * Changes are broadcast to every instance (EvictionBus); this bounds a lost message. Approve
 * and collect read the registration fresh anyway, so the cache only ever serves `init`.
 */
const LOOKUP_TTL_MS = 30_000;
const MAX_CACHED = 10_000;
const CHANNEL = 'pairgate:oauth-client-evictions';

/** Registered OAuth clients: admin management, and the lookup device requests go through. */
@Injectable()
export class OAuthClientsService implements OnModuleInit {
  private readonly cache = new Map<string, { client: RegisteredClient | null; until: number }>();

  constructor(
    private readonly bus: EvictionBus,
    private readonly clients: OAuthClientsRepository,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(CHANNEL, (clientId) => this.cache.delete(clientId as string));
  }

  /**
   * The registration behind a client_id, or null; cached briefly (init is a public hot path).
   * `fresh` reads the database: for the decisions that enforce the policy (approve, collect).
   */
  async findRegistered(
    clientId: string,
    options: { fresh?: boolean } = {},
  ): Promise<RegisteredClient | null> {
    const nowMs = this.clock.nowMs();
    const cached = options.fresh ? undefined : this.cache.get(clientId);
    if (cached && cached.until > nowMs) return cached.client;
    const row = await this.clients.findByClientId(clientId);
    const client = row ? toRegistered(row) : null;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(clientId, { client, until: nowMs + LOOKUP_TTL_MS });
    return client;
  }

  /**
   * Whether a decision on a device authorization may go ahead under its client's
   * registration as it is now (read fresh): the client may have been narrowed or removed
   * since the device asked. Null when it may.
   */
  async policyRefusal(
    clientId: string | null,
    scopes: readonly string[],
  ): Promise<{ error: DeviceFlowError; message: string } | null> {
    if (!clientId) return null;
    const client = await this.findRegistered(clientId, { fresh: true });
    if (!client) {
      return this.config.deviceFlow.requireRegisteredClient
        ? {
            error: DeviceFlowError.InvalidClient,
            message: `The app "${clientId}" is no longer registered on this server`,
          }
        : null;
    }
    const outside = scopes.filter((s) => !client.allowedScopes.includes(s));
    return outside.length > 0
      ? {
          error: DeviceFlowError.InvalidScope,
          message: `The app "${client.displayName}" may no longer ask for ${outside.join(', ')}`,
        }
      : null;
  }

  async list(query: PageQuery): Promise<OAuthClientPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.clients.list(decodeCursor(query.cursor), limit);
    return toPage(rows, limit, (row) => OAuthClientDto.from(row));
  }

  async get(clientId: string): Promise<OAuthClientDto> {
    const row = await this.clients.findByClientId(clientId);
    if (!row) throw ApiException.notFound('OAuth client');
    return OAuthClientDto.from(row);
  }

  async create(
    actor: Principal,
    dto: CreateOAuthClientDto,
    meta: RequestMeta,
  ): Promise<OAuthClientDto> {
    const allowed = this.checkScopes(dto.allowed_scopes);
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    const client = Object.assign(new OAuthClient(), {
      id: randomUUID(),
      clientId: dto.client_id ?? `pgclient-${randomBytes(9).toString('base64url')}`,
      displayName: dto.display_name,
      allowedScopes: allowed.join(' '),
      createdAt: now,
      updatedAt: now,
      secretHash: null,
      secretPrefix: null,
    });
    await this.transactions.run(async (manager) => {
      if (await this.clients.existsByClientId(manager, client.clientId)) {
        throw ApiException.conflict(`The client_id "${client.clientId}" is already registered`);
      }
      await this.clients.insert(manager, client);
      await this.audit.record(manager, {
        action: 'oauth_client.create',
        actor,
        target: { type: 'oauth_client', id: client.clientId },
        meta,
        details: { display_name: client.displayName, allowed_scopes: allowed },
      });
    });
    await this.evict(client.clientId);
    return OAuthClientDto.from(client);
  }

  async update(
    actor: Principal,
    clientId: string,
    dto: UpdateOAuthClientDto,
    meta: RequestMeta,
  ): Promise<OAuthClientDto> {
    if (dto.display_name === undefined && dto.allowed_scopes === undefined) {
      throw ApiException.badRequest(
        ErrorCode.ValidationFailed,
        'Send display_name, allowed_scopes, or both',
      );
    }
    const allowed = dto.allowed_scopes ? this.checkScopes(dto.allowed_scopes) : undefined;
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    const updated = await this.transactions.run(async (manager) => {
      const client = await this.clients.findByClientId(clientId, manager);
      if (!client) throw ApiException.notFound('OAuth client');
      const patch: Partial<OAuthClient> = { updatedAt: now };
      if (dto.display_name !== undefined) patch.displayName = dto.display_name;
      if (allowed) patch.allowedScopes = allowed.join(' ');
      await this.clients.update(manager, client.id, patch);
      await this.audit.record(manager, {
        action: 'oauth_client.update',
        actor,
        target: { type: 'oauth_client', id: clientId },
        meta,
        details: {
          ...(dto.display_name !== undefined ? { display_name: dto.display_name } : {}),
          ...(allowed ? { allowed_scopes: allowed } : {}),
        },
      });
      return Object.assign(client, patch);
    });
    await this.evict(clientId);
    return OAuthClientDto.from(updated);
  }

  /** Pending requests from the client stay pending but show as unverified from now on. */
  async remove(actor: Principal, clientId: string, meta: RequestMeta): Promise<void> {
    await this.transactions.run(async (manager) => {
      const client = await this.clients.findByClientId(clientId, manager);
      if (!client) throw ApiException.notFound('OAuth client');
      await this.clients.delete(manager, client.id);
      await this.audit.record(manager, {
        action: 'oauth_client.delete',
        actor,
        target: { type: 'oauth_client', id: clientId },
        meta,
        details: { display_name: client.displayName },
      });
    });
    await this.evict(clientId);
  }

  /** After a change has committed: here, and on every other instance before we answer. */
  private async evict(clientId: string): Promise<void> {
    this.cache.delete(clientId);
    await this.bus.publish(CHANNEL, clientId);
  }

  private checkScopes(scopes: string[]): string[] {
    const unique = [...new Set(scopes)];
    this.scopes.assertKnown(unique);
    return unique;
  }
}

function toRegistered(row: OAuthClient): RegisteredClient {
  return {
    clientId: row.clientId,
    displayName: row.displayName,
    allowedScopes: row.allowedScopes.split(' ').filter(Boolean),
  };
}
