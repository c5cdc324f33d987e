import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ACCESS_RULE, type AccessRule } from '../../server/src/api/auth/allow.decorator.js';

/**
 * Every HTTP route the running app serves, read from Nest's own route table (controllers and
 * their handlers as registered) and checked against the routes Express actually dispatches, with
 * the access rule each carries (undefined = none: the guard denies it and the matrix test fails).
 */
export interface RouteEntry {
  method: string;
  /** Express path, e.g. /api/flows/:id/publish */
  path: string;
  controller: string;
  handler: string;
  rule: AccessRule | undefined;
}

const join = (...parts: string[]) => '/' + parts.flatMap((p) => p.split('/')).filter(Boolean).join('/');

export function nestRoutes(app: NestExpressApplication, prefix = 'api'): RouteEntry[] {
  // Paths outside the global prefix, as create-app.ts excludes them (/r/:token, /metrics).
  const UNPREFIXED = new Set((app.get(ApplicationConfig).getGlobalPrefixOptions().exclude ?? []).map((e) => join(e.path)));
  const out: RouteEntry[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!type || !type.prototype) continue;
      const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const classRule = Reflect.getMetadata(ACCESS_RULE, type) as AccessRule | undefined;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        if (name === 'constructor') continue;
        const fn = Object.getOwnPropertyDescriptor(type.prototype, name)?.value; // never call getters
        if (typeof fn !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        if (method === undefined || paths === undefined) continue;
        const rule = (Reflect.getMetadata(ACCESS_RULE, fn) as AccessRule | undefined) ?? classRule;
        for (const b of base)
          for (const p of ([] as string[]).concat(paths)) {
            const local = join(b, p);
            out.push({ method: RequestMethod[method], path: UNPREFIXED.has(local) ? local : join(prefix, local), controller: type.name, handler: name, rule });
          }
      }
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** Method + path of every route Express dispatches (Express 5 router stack). */
export function expressRoutes(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const out: string[] = [];
  for (const layer of stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
    if (!layer.route) continue;
    // Nest adds a catch-all (every method) next to a route excluded from the global prefix; it
    // answers 404 (role-matrix.test.ts checks that), so it is no route of its own.
    if (Object.keys(layer.route.methods).length > 20) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push(`${m.toUpperCase()} ${layer.route.path}`);
  }
  return [...new Set(out)].sort();
}
