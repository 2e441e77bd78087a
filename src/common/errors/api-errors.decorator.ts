import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (`validation_failed`, `bad_request`)',
  401: 'No token, or the token is unknown, expired or revoked (`invalid_token`)',
  403: 'The token lacks a required scope (`insufficient_scope`) or the action is forbidden',
  404: 'Not found, or not yours',
  409: 'Conflicts with the current state',
  429: 'Rate limited; see the Retry-After header',
};

/** Lists the error responses of a route in the API document, all in the one error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
