import { ExecutorRegistry } from '../executor.js';
import { actionExecutor } from './action.executor.js';
import { conditionExecutor } from './condition.executor.js';
import { entryExecutor } from './entry.executor.js';
import { exitExecutor } from './exit.executor.js';
import { limitExecutor } from './limit.executor.js';
import { sendExecutor } from './send.executor.js';
import { splitExecutor } from './split.executor.js';
import { switchExecutor } from './switch.executor.js';
import { waitForEventExecutor } from './wait-for-event.executor.js';
import { waitExecutor } from './wait.executor.js';

/** The standard node types. */
export function defaultExecutors(): ExecutorRegistry {
  return new ExecutorRegistry()
    .register(entryExecutor)
    .register(conditionExecutor)
    .register(switchExecutor)
    .register(splitExecutor)
    .register(waitExecutor)
    .register(waitForEventExecutor)
    .register(sendExecutor)
    .register(actionExecutor)
    .register(limitExecutor)
    .register(exitExecutor);
}
