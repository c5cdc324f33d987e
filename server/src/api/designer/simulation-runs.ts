import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictException, Injectable, type OnModuleInit } from '@nestjs/common';

/**
 * Bounds on the designer's simulations: at most MAX_TICKS ticks, at most one run per flow at a
 * time, a wall-clock budget, cancellation (DELETE …/simulate), and their temporary copies of the
 * shop kept in one folder and removed on start-up when the process that made them is gone.
 */
export const MAX_SIMULATION_TICKS = 20_000;
export const SIMULATION_BUDGET_MS = 5 * 60_000;

export const simulationDir = () => join(tmpdir(), 'rekindle-sim');

interface Run {
  controller: AbortController;
  startedBy: string;
  startedAt: number;
}

@Injectable()
export class SimulationRuns implements OnModuleInit {
  private readonly running = new Map<string, Run>();

  onModuleInit(): void {
    removeStaleCopies();
  }

  /** Claims the flow's single simulation slot; 409 when one is running. */
  begin(flowId: string, who: string, budgetMs = SIMULATION_BUDGET_MS): { signal: AbortSignal; copy: string; end(): void } {
    const busy = this.running.get(flowId);
    if (busy) throw new ConflictException(`a simulation of ${flowId} started by ${busy.startedBy} is still running; wait for it or cancel it (DELETE /api/flows/${flowId}/simulate)`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(`it ran longer than ${Math.round(budgetMs / 1000)} s; simulate fewer days or a longer step`), budgetMs);
    timer.unref();
    this.running.set(flowId, { controller, startedBy: who, startedAt: Date.now() });
    mkdirSync(simulationDir(), { recursive: true, mode: 0o700 });
    const copy = join(simulationDir(), `${process.pid}-${randomUUID()}.sqlite`);
    return {
      signal: controller.signal,
      copy,
      end: () => {
        clearTimeout(timer);
        this.running.delete(flowId);
        removeCopy(copy);
      },
    };
  }

  cancel(flowId: string, who: string): boolean {
    const run = this.running.get(flowId);
    if (!run) return false;
    run.controller.abort(`cancelled by ${who}`);
    return true;
  }

  isRunning(flowId: string): boolean {
    return this.running.has(flowId);
  }
}

export function removeCopy(copy: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(copy + suffix, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes copies left by servers that died mid-simulation (their pid is gone). */
export function removeStaleCopies(dir = simulationDir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^(\d+)-[0-9a-f-]+\.sqlite(-wal|-shm|-journal)?$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
