import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

/**
 * Nest's own start-up lines: one per module loaded, per controller and per route mapped (~120 on
 * this server). At info they bury the lines an operator starts the server to read (the demo shop,
 * the first admin password, where it listens) and every start fills the log shipper with them.
 * They stay available at LOG_LEVEL=debug.
 */
const CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** nestjs-pino's Logger with Nest's start-up chatter logged at debug instead of info. */
@Injectable()
export class QuietFrameworkLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && CHATTER.has(context)) return super.debug(message, ...optionalParams);
    super.log(message, ...optionalParams);
  }
}
