import { Global, Module, type DynamicModule } from '@nestjs/common';
import { openWorkspace } from '../config/workspace.js';
import type { AppOptions } from './app-options.js';
import { loadSettings } from '../config/settings.js';
import { APP_OPTIONS, CLOCK, SETTINGS, WORKSPACE } from './tokens.js';

/** Provides the app's options, the clock, the shop's workspace (rules folder + shop.yaml) and the validated settings to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_OPTIONS, useValue: opts },
        { provide: CLOCK, useValue: opts.clock },
        { provide: WORKSPACE, useFactory: () => openWorkspace(opts.rulesDir) },
        { provide: SETTINGS, useFactory: () => opts.settings ?? loadSettings() },
      ],
      exports: [APP_OPTIONS, CLOCK, WORKSPACE, SETTINGS],
    };
  }
}
