import { describe, expect, it } from 'vitest';
import { OAuthException } from './oauth.exception.js';

describe('OAuthException', () => {
  it('captures no stack and leaves the stack trace limit as it found it', () => {
    const limit = Error.stackTraceLimit;
    const error = new OAuthException('authorization_pending', 'The user has not answered yet', {
      interval: 5,
    });
    expect(Error.stackTraceLimit).toBe(limit);
    expect(error.stack?.split('\n')).toHaveLength(1);
    expect(error.getResponse()).toEqual({
      error: 'authorization_pending',
      error_description: 'The user has not answered yet',
      interval: 5,
    });
    expect(new Error('other').stack?.split('\n').length).toBeGreaterThan(1);
  });
});
