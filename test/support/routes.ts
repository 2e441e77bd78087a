import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AUTH_OPTIONS, type AuthOptions, IS_PUBLIC } from '../../src/auth/auth.decorators.js';

export interface DiscoveredRoute {
  method: string;
  /** Nest's path with `:params`, e.g. `/api/client-tokens/:id`. */
  path: string;
  controller: string;
  handler: string;
  isPublic: boolean;
  /** The route's @Authenticated options, or null when it has none. */
  auth: AuthOptions | null;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every HTTP route the app serves, found the way Nest finds them (not a hand list). */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const reflector = app.get(Reflector);
  const routes: DiscoveredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!type) continue;
    const base = (Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined) ?? '';
    const prototype = type.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (method === undefined || path === undefined) continue;
      const targets = [handler as () => unknown, type];
      for (const b of [base].flat()) {
        for (const p of [path].flat()) {
          routes.push({
            method: RequestMethod[method],
            path: join(b, p),
            controller: type.name,
            handler: name,
            isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
            auth: reflector.getAllAndOverride<AuthOptions>(AUTH_OPTIONS, targets) ?? null,
          });
        }
      }
    }
  }
  return routes;
}
