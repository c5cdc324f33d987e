import { Global, Module, type DynamicModule } from '@nestjs/common';
import { openWorkspace } from '../config/workspace.js';
import type { AppOptions } from './app-options.js';
import { CLOCK, WORKSPACE } from './tokens.js';

/** Provides the clock and the shop's workspace (rules folder + shop.yaml) to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CLOCK, useValue: opts.clock },
        { provide: WORKSPACE, useFactory: () => openWorkspace(opts.rulesDir) },
      ],
      exports: [CLOCK, WORKSPACE],
    };
  }
}
