import { Inject, Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { formatHumanCode } from '../common/human-code.js';
import { CLIENT_AUTH_METHODS, INTROSPECTION_AUTH_METHODS } from './client-authentication.js';
import { DEVICE_CODE_GRANT } from './dto/device-token.dto.js';
import type { AuthorizationServerMetadataDto } from './dto/oauth.dto.js';

export const PAIRING_PAGE_PATH = '/pair/device';

/**
 * The flow's public face, all under PUBLIC_URL: its URLs, the QR code of the pairing link,
 * and the RFC 8414 metadata that announces them.
 */
@Injectable()
export class DeviceFlowUrls {
  readonly issuer: string;
  readonly verificationUri: string;
  readonly deviceAuthorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string;
  readonly introspectionEndpoint: string;
  readonly documentation: string;
  private serializedMetadata: string | undefined;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly scopes: ScopeRegistry,
  ) {
    this.issuer = config.publicUrl;
    this.verificationUri = `${config.publicUrl}${PAIRING_PAGE_PATH}`;
    this.deviceAuthorizationEndpoint = `${config.publicUrl}/oauth/device_authorization`;
    this.tokenEndpoint = `${config.publicUrl}/oauth/token`;
    this.revocationEndpoint = `${config.publicUrl}/oauth/revoke`;
    this.introspectionEndpoint = `${config.publicUrl}/oauth/introspect`;
    this.documentation = `${config.publicUrl}/api/docs`;
  }

  verificationUriComplete(userCode: string): string {
    return `${this.verificationUri}?user_code=${formatHumanCode(userCode)}`;
  }

  qrUrl(userCode: string): string {
    return `${this.issuer}/api/auth/device/qr?user_code=${formatHumanCode(userCode)}`;
  }

  /** The QR code of a code's complete verification URI, as SVG or PNG. */
  async qrCode(
    userCode: string,
    format: 'svg' | 'png',
  ): Promise<{ contentType: string; body: string | Buffer }> {
    const link = this.verificationUriComplete(userCode);
    return format === 'png'
      ? {
          contentType: 'image/png',
          body: await QRCode.toBuffer(link, { type: 'png', margin: 2, width: 320 }),
        }
      : {
          contentType: 'image/svg+xml',
          body: await QRCode.toString(link, { type: 'svg', margin: 2 }),
        };
  }

  /**
   * The metadata as sent: serialized on the first request (the scopes are registered by
   * then) and kept, since nothing in it changes while the server runs.
   */
  metadataJson(): string {
    this.serializedMetadata ??= JSON.stringify(this.metadata());
    return this.serializedMetadata;
  }

  /** RFC 8414 authorization server metadata, with every registered scope. */
  metadata(): AuthorizationServerMetadataDto {
    return {
      issuer: this.issuer,
      device_authorization_endpoint: this.deviceAuthorizationEndpoint,
      token_endpoint: this.tokenEndpoint,
      grant_types_supported: [DEVICE_CODE_GRANT],
      response_types_supported: [],
      scopes_supported: this.scopes.names(),
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      revocation_endpoint: this.revocationEndpoint,
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      introspection_endpoint: this.introspectionEndpoint,
      introspection_endpoint_auth_methods_supported: [...INTROSPECTION_AUTH_METHODS],
      service_documentation: this.documentation,
    };
  }
}
