import { Inject, Injectable } from '@nestjs/common';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { formatHumanCode } from '../common/human-code.js';

export const PAIRING_PAGE_PATH = '/pair/device';

/** The public URLs of the flow, all under PUBLIC_URL. */
@Injectable()
export class DeviceFlowUrls {
  readonly issuer: string;
  readonly verificationUri: string;
  readonly deviceAuthorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly documentation: string;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.issuer = config.publicUrl;
    this.verificationUri = `${config.publicUrl}${PAIRING_PAGE_PATH}`;
    this.deviceAuthorizationEndpoint = `${config.publicUrl}/oauth/device_authorization`;
    this.tokenEndpoint = `${config.publicUrl}/oauth/token`;
    this.documentation = `${config.publicUrl}/api/docs`;
  }

  verificationUriComplete(userCode: string): string {
    return `${this.verificationUri}?user_code=${formatHumanCode(userCode)}`;
  }

  qrUrl(userCode: string): string {
    return `${this.issuer}/api/auth/device/qr?user_code=${formatHumanCode(userCode)}`;
  }
}
