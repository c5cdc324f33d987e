import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccountStore } from '../../persistence/accounts.js';
import { AuditLog } from '../../persistence/audit-log.js';
import { shopSecret } from '../../runtime/channel-runtime.js';
import type { AppOptions } from '../app-options.js';
import { SERVER_SECRET } from '../tokens.js';
import { AuditController } from './audit.controller.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { ContactMaskInterceptor } from './contact-mask.interceptor.js';
import { ACCOUNTS, AUDIT, CSRF } from './auth.tokens.js';
import { createCsrf } from './csrf.js';
import { SignInLimits } from './sign-in-throttle.js';
import { UsersController } from './users.controller.js';

/** Accounts, sessions, tokens, the audit log, the global deny-by-default guard and the sign-in rate limit. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: [AuthController, UsersController, AuditController],
      providers: [
        { provide: SERVER_SECRET, useFactory: () => shopSecret(opts) },
        { provide: ACCOUNTS, inject: [DataSource], useFactory: (ds: DataSource) => new AccountStore(ds) },
        { provide: AUDIT, inject: [DataSource], useFactory: (ds: DataSource) => new AuditLog(ds) },
        { provide: CSRF, inject: [SERVER_SECRET], useFactory: (secret: string) => createCsrf(secret) },
        SignInLimits,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: ContactMaskInterceptor },
      ],
      exports: [ACCOUNTS, AUDIT, SERVER_SECRET],
    };
  }
}
