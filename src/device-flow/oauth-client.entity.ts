import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A client an admin registered: its device authorization requests are shown as verified and
 * limited to its allowed scopes.
 */
@Entity('oauth_clients')
@Index('uq_oauth_clients_client_id', ['clientId'], { unique: true })
export class OAuthClient {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  /** Space-separated scope names. */
  @Column({ name: 'allowed_scopes', type: 'varchar', length: 1024 })
  allowedScopes: string;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  /** HMAC of the client secret (confidential clients); null for a public client. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash: string | null;

  /** The secret's first characters, for display. */
  @Column({ name: 'secret_prefix', type: 'varchar', length: 16, nullable: true })
  secretPrefix: string | null;

  /** An admin allowed it to call /oauth/introspect (RFC 7662), authenticating with its secret. */
  @Column({ name: 'may_introspect', type: 'boolean', default: false })
  mayIntrospect: boolean;
}
