/* eslint-disable */
export default async () => {
  const t = {
    ['./users/user.entity.js']: await import('./users/user.entity.js'),
    ['./common/errors/error-response.dto.js']:
      await import('./common/errors/error-response.dto.js'),
    ['./users/dto/user.dto.js']: await import('./users/dto/user.dto.js'),
    ['./users/dto/login-response.dto.js']: await import('./users/dto/login-response.dto.js'),
    ['./users/dto/admin-user.dto.js']: await import('./users/dto/admin-user.dto.js'),
    ['./users/dto/me.dto.js']: await import('./users/dto/me.dto.js'),
  };
  return {
    '@nestjs/swagger': {
      models: [
        [
          import('./audit/audit-event.entity.js'),
          {
            AuditEvent: {
              id: { required: true, type: () => Number },
              createdAt: { required: true, type: () => Date },
              actorUserId: { required: true, type: () => String, nullable: true },
              actorUsername: { required: true, type: () => String, nullable: true },
              actorTokenKind: { required: true, type: () => String, nullable: true },
              actorTokenId: { required: true, type: () => String, nullable: true },
              actorDeviceId: { required: true, type: () => String, nullable: true },
              action: { required: true, type: () => String },
              targetType: { required: true, type: () => String, nullable: true },
              targetId: { required: true, type: () => String, nullable: true },
              outcome: { required: true, enum: ['success', 'failure', 'denied'] },
              ip: { required: true, type: () => String, nullable: true },
              userAgent: { required: true, type: () => String, nullable: true },
              details: {
                required: true,
                type: () => String,
                nullable: true,
                description: 'JSON; never secrets.',
              },
              prevHash: { required: true, type: () => String },
              hash: { required: true, type: () => String },
            },
            AuditChainHead: {
              id: { required: true, type: () => Number },
              lastId: { required: true, type: () => Number },
              lastHash: { required: true, type: () => String },
            },
          },
        ],
        [
          import('./users/user.entity.js'),
          {
            User: {
              id: { required: true, type: () => String },
              username: { required: true, type: () => String, description: 'Lower-case, unique.' },
              email: { required: true, type: () => String, nullable: true },
              passwordHash: {
                required: true,
                type: () => String,
                description: 'argon2id, PHC string.',
              },
              role: { required: true, enum: ['admin', 'user'] },
              disabledAt: { required: true, type: () => Date, nullable: true },
              createdAt: { required: true, type: () => Date },
              updatedAt: { required: true, type: () => Date },
            },
          },
        ],
        [
          import('./users/session.entity.js'),
          {
            Session: {
              id: { required: true, type: () => String },
              userId: { required: true, type: () => String },
              user: { required: false, type: () => t['./users/user.entity.js'].User },
              prefix: { required: true, type: () => String },
              tokenHash: {
                required: true,
                type: () => String,
                description: 'HMAC-SHA256(TOKEN_PEPPER, token), hex.',
              },
              createdAt: { required: true, type: () => Date },
              expiresAt: { required: true, type: () => Date },
              lastUsedAt: { required: true, type: () => Date, nullable: true },
              lastUsedIp: { required: true, type: () => String, nullable: true },
              userAgent: { required: true, type: () => String, nullable: true },
              revokedAt: { required: true, type: () => Date, nullable: true },
            },
          },
        ],
        [
          import('./common/errors/error-response.dto.js'),
          {
            FieldProblemDto: {
              field: {
                required: true,
                type: () => String,
                description: 'The request field, dotted for nested values (`scopes.0`).',
              },
              problems: {
                required: true,
                type: () => [String],
                description: 'What is wrong with it, one sentence each.',
              },
            },
            ErrorResponseDto: {
              statusCode: { required: true, type: () => Number },
              error: {
                required: true,
                type: () => String,
                description: 'A stable snake_case code a client can branch on.',
              },
              message: {
                required: true,
                type: () => String,
                description: 'A sentence a person can act on.',
              },
              details: {
                required: false,
                type: () => [t['./common/errors/error-response.dto.js'].FieldProblemDto],
                description: 'Field-level problems, present for validation failures.',
              },
              request_id: {
                required: false,
                type: () => String,
                description: 'Present on 500s, so the operator can find the log line.',
              },
            },
          },
        ],
        [
          import('./common/id-param.dto.js'),
          { IdParam: { id: { required: true, type: () => String, format: 'uuid' } } },
        ],
        [
          import('./users/dto/credentials.dto.js'),
          {
            NewUserFields: {
              username: {
                required: true,
                type: () => String,
                description: 'Case-insensitive; stored lower-case.',
              },
              password: {
                required: true,
                type: () => String,
                description: '8-256 characters.',
                minLength: 8,
                maxLength: 256,
              },
              email: { required: false, type: () => String, maxLength: 255, format: 'email' },
            },
            LoginDto: {
              username: { required: true, type: () => String, minLength: 1, maxLength: 64 },
              password: { required: true, type: () => String, minLength: 1, maxLength: 256 },
            },
          },
        ],
        [
          import('./users/dto/admin-user.dto.js'),
          {
            CreateUserDto: {
              role: {
                required: false,
                description: 'Defaults to `user`.',
                enum: ['admin', 'user'],
              },
            },
            UpdateUserDto: {
              role: { required: false, enum: ['admin', 'user'] },
              disabled: {
                required: false,
                type: () => Boolean,
                description:
                  'true disables the account: every token of the user fails on the next request.',
              },
            },
            UserListQuery: {
              q: {
                required: false,
                type: () => String,
                description: 'Matches username or email.',
                maxLength: 100,
              },
              role: { required: false, enum: ['admin', 'user'] },
            },
            SetupDto: {
              setup_code: {
                required: true,
                type: () => String,
                description: 'The one-time code printed in the server log at first start.',
                maxLength: 100,
              },
            },
            SetupStatusDto: {
              setup_required: {
                required: true,
                type: () => Boolean,
                description: 'True until the first admin exists.',
              },
            },
          },
        ],
        [
          import('./users/dto/user.dto.js'),
          {
            UserDto: {
              id: { required: true, type: () => String },
              username: { required: true, type: () => String },
              email: { required: true, type: () => String, nullable: true },
              role: { required: true, enum: ['admin', 'user'] },
              disabled_at: {
                required: true,
                type: () => String,
                nullable: true,
                description:
                  'Set when an admin disabled the account; every token of a disabled user fails.',
              },
              created_at: { required: true, type: () => String },
            },
            UserPageDto: {
              items: { required: true, type: () => [t['./users/dto/user.dto.js'].UserDto] },
              next_cursor: {
                required: true,
                type: () => String,
                nullable: true,
                description: 'Pass as `cursor` to get the next page; null on the last page.',
              },
            },
          },
        ],
        [
          import('./users/dto/login-response.dto.js'),
          {
            LoginResponseDto: {
              access_token: {
                required: true,
                type: () => String,
                description:
                  'A `pgs_` session token. Shown once: keep it, it cannot be read again.',
              },
              token_type: { required: true, enum: ['Bearer'] },
              expires_in: {
                required: true,
                type: () => Number,
                description: 'Seconds until the session expires.',
              },
              user: { required: true, type: () => t['./users/dto/user.dto.js'].UserDto },
            },
          },
        ],
        [
          import('./users/dto/me.dto.js'),
          {
            MeDto: {
              id: { required: true, type: () => String },
              username: { required: true, type: () => String },
              email: { required: true, type: () => String, nullable: true },
              role: { required: true, enum: ['admin', 'user'] },
              scopes: {
                required: true,
                type: () => [String],
                description:
                  "The token's effective scopes: what it holds that the user may still hold.",
              },
              token_kind: { required: true, enum: ['session', 'client', 'long_lived'] },
              token_id: { required: true, type: () => String },
              current_device_id: {
                required: true,
                type: () => String,
                nullable: true,
                description:
                  'The device this token is bound to; null unless the token is device-bound.',
              },
            },
            ChangePasswordDto: {
              current_password: {
                required: true,
                type: () => String,
                minLength: 1,
                maxLength: 256,
              },
              new_password: {
                required: true,
                type: () => String,
                description: '8-256 characters.',
                minLength: 8,
                maxLength: 256,
              },
            },
          },
        ],
      ],
      controllers: [
        [
          import('./health/health.controller.js'),
          { HealthController: { live: {}, ready: { type: Object } } },
        ],
        [
          import('./users/admin-users.controller.js'),
          {
            AdminUsersController: {
              list: { type: t['./users/dto/user.dto.js'].UserPageDto },
              create: { type: t['./users/dto/user.dto.js'].UserDto },
              get: { type: t['./users/dto/user.dto.js'].UserDto },
              update: { type: t['./users/dto/user.dto.js'].UserDto },
              revokeTokens: {},
            },
          },
        ],
        [
          import('./users/auth.controller.js'),
          {
            AuthController: {
              login: { type: t['./users/dto/login-response.dto.js'].LoginResponseDto },
              logout: {},
            },
          },
        ],
        [
          import('./users/setup.controller.js'),
          {
            SetupController: {
              status: { type: t['./users/dto/admin-user.dto.js'].SetupStatusDto },
              setup: { type: t['./users/dto/user.dto.js'].UserDto },
            },
          },
        ],
        [
          import('./users/users.controller.js'),
          {
            UsersController: { me: { type: t['./users/dto/me.dto.js'].MeDto }, changePassword: {} },
          },
        ],
      ],
    },
  };
};
