import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { EvictionBus } from '../common/redis/eviction-bus.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { deviceFlowConfig, type DeviceFlowConfig } from './device-flow.config.js';
import {
  type ClientAuthMethod,
  invalidClient,
  type PresentedClient,
} from './client-authentication.js';
import { DeviceFlowError } from './device-flow.errors.js';
import {
  type CreateOAuthClientDto,
  OAuthClientDto,
  OAuthClientWithSecretDto,
  type OAuthClientListQuery,
  type OAuthClientPageDto,
  type UpdateOAuthClientDto,
} from './dto/oauth-client.dto.js';
import { OAuthClient } from './oauth-client.entity.js';
import { OAuthClientsRepository } from './oauth-clients.repository.js';
import { newRowId } from '../common/row-id.js';

/** What a device authorization request needs to know about its client. */
export interface RegisteredClient {
  clientId: string;
  displayName: string;
  allowedScopes: string[];
  /** HMAC of its secret: a confidential client must present it. Null for a public client. */
  secretHash: string | null;
  /** An admin allowed it to introspect tokens (RFC 7662). */
  mayIntrospect: boolean;
}

/** A client_id as a request established it: registered or not, and proven or not. */
export interface AuthenticatedClient {
  client: RegisteredClient | null;
  /** How it proved itself; null for a public (or unregistered) client. */
  method: ClientAuthMethod | null;
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
    private readonly codec: TokenCodec,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(deviceFlowConfig.KEY) private readonly config: DeviceFlowConfig,
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
   * RFC 6749 §2.3: a confidential client must prove itself with its secret on every request
   * to the OAuth endpoints; a public client must not send one. Failures are 401
   * `invalid_client` with a Basic challenge.
   */
  async authenticate(presented: PresentedClient): Promise<AuthenticatedClient> {
    const { clientId, secret, method } = presented;
    if (clientId === undefined) {
      if (secret !== null) throw invalidClient('client_id is required with client_secret');
      return { client: null, method: null };
    }
    const client = await this.findRegistered(clientId);
    if (secret === null || method === null) {
      if (client?.secretHash) {
        throw invalidClient(
          `The client "${clientId}" is confidential: authenticate it with its secret, by HTTP Basic (client_secret_basic) or a client_secret form field (client_secret_post), at the /oauth endpoints`,
        );
      }
      return { client, method: null };
    }
    if (!client?.secretHash) {
      throw invalidClient(
        `The client "${clientId}" has no secret on this server: send client_id alone (a public client)`,
      );
    }
    const expected = Buffer.from(client.secretHash, 'hex');
    const equal = (hash: string | null) =>
      hash !== null && timingSafeEqual(Buffer.from(hash, 'hex'), expected);
    const current = this.codec.hash(secret);
    if (equal(current)) return { client, method };
    if (!equal(this.codec.previousHash(secret))) {
      throw invalidClient(`Client authentication failed for "${clientId}": wrong client secret`);
    }
    // Stored under TOKEN_PEPPER_PREVIOUS: rehash it, as tokens are on their first use.
    await this.transactions.run((manager) =>
      this.clients.rehashSecret(manager, clientId, client.secretHash!, current),
    );
    await this.evict(clientId);
    return { client: { ...client, secretHash: current }, method };
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
      return this.config.requireRegisteredClient
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

  async list(query: OAuthClientListQuery): Promise<OAuthClientPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.clients.list({ q: query.q, after: decodeCursor(query.cursor), limit });
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
  ): Promise<OAuthClientWithSecretDto> {
    const allowed = this.checkScopes(dto.allowed_scopes);
    const mayIntrospect = dto.may_introspect === true;
    if (mayIntrospect && !dto.confidential) {
      throw ApiException.badRequest(
        ErrorCode.ValidationFailed,
        'Only a confidential client may introspect tokens: send confidential: true with may_introspect: true',
      );
    }
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    const secret = dto.confidential ? this.codec.issue('x') : null;
    const client = Object.assign(new OAuthClient(), {
      id: newRowId(),
      clientId: dto.client_id ?? `pgclient-${randomBytes(9).toString('base64url')}`,
      displayName: dto.display_name,
      allowedScopes: allowed.join(' '),
      createdAt: now,
      updatedAt: now,
      secretHash: secret?.hash ?? null,
      secretPrefix: secret?.prefix ?? null,
      mayIntrospect,
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
        details: {
          display_name: client.displayName,
          allowed_scopes: allowed,
          confidential: secret !== null,
          may_introspect: mayIntrospect,
        },
      });
    });
    await this.evict(client.clientId);
    return OAuthClientWithSecretDto.withSecret(client, secret?.raw ?? null);
  }

  /**
   * A new secret for the client, shown once; the old one stops working at once on every
   * instance. A public client becomes confidential.
   */
  async rotateSecret(
    actor: Principal,
    clientId: string,
    meta: RequestMeta,
  ): Promise<OAuthClientWithSecretDto> {
    const secret = this.codec.issue('x');
    const updated = await this.changeSecret(actor, clientId, meta, secret);
    return OAuthClientWithSecretDto.withSecret(updated, secret.raw);
  }

  /** The client becomes public: its secret stops working and is no longer asked for. */
  async removeSecret(
    actor: Principal,
    clientId: string,
    meta: RequestMeta,
  ): Promise<OAuthClientDto> {
    return OAuthClientDto.from(await this.changeSecret(actor, clientId, meta, null));
  }

  private async changeSecret(
    actor: Principal,
    clientId: string,
    meta: RequestMeta,
    secret: { hash: string; prefix: string } | null,
  ): Promise<OAuthClient> {
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    const updated = await this.transactions.run(async (manager) => {
      const client = await this.clients.findByClientId(clientId, manager);
      if (!client) throw ApiException.notFound('OAuth client');
      if (!secret && !client.secretHash) {
        throw ApiException.conflict(`The client "${clientId}" is already public: it has no secret`);
      }
      const patch: Partial<OAuthClient> = {
        updatedAt: now,
        secretHash: secret?.hash ?? null,
        secretPrefix: secret?.prefix ?? null,
        // A public client cannot authenticate to introspect: the permission goes with the secret.
        ...(secret ? {} : { mayIntrospect: false }),
      };
      await this.clients.update(manager, client.id, patch);
      await this.audit.record(manager, {
        action: secret ? 'oauth_client.secret_rotated' : 'oauth_client.secret_removed',
        actor,
        target: { type: 'oauth_client', id: clientId },
        meta,
        details: secret
          ? { secret_prefix: secret.prefix, previous_secret_prefix: client.secretPrefix }
          : {
              previous_secret_prefix: client.secretPrefix,
              ...(client.mayIntrospect ? { may_introspect: false } : {}),
            },
      });
      return Object.assign(client, patch);
    });
    await this.evict(clientId);
    return updated;
  }

  async update(
    actor: Principal,
    clientId: string,
    dto: UpdateOAuthClientDto,
    meta: RequestMeta,
  ): Promise<OAuthClientDto> {
    if (
      dto.display_name === undefined &&
      dto.allowed_scopes === undefined &&
      dto.may_introspect === undefined
    ) {
      throw ApiException.badRequest(
        ErrorCode.ValidationFailed,
        'Send display_name, allowed_scopes, may_introspect, or several of them',
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
      if (dto.may_introspect !== undefined) {
        if (dto.may_introspect && !client.secretHash) {
          throw ApiException.conflict(
            `The client "${clientId}" is public: give it a secret first (POST /api/admin/oauth-clients/${clientId}/secret), then allow it to introspect`,
          );
        }
        patch.mayIntrospect = dto.may_introspect;
      }
      await this.clients.update(manager, client.id, patch);
      await this.audit.record(manager, {
        action: 'oauth_client.update',
        actor,
        target: { type: 'oauth_client', id: clientId },
        meta,
        details: {
          ...(dto.display_name !== undefined ? { display_name: dto.display_name } : {}),
          ...(allowed ? { allowed_scopes: allowed } : {}),
          ...(dto.may_introspect !== undefined ? { may_introspect: dto.may_introspect } : {}),
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
    secretHash: row.secretHash,
    mayIntrospect: row.mayIntrospect,
  };
}
