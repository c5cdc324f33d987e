/**
 * bench/workers: where "rest of the machine" goes, process by process. At the tick's start and end
 * it reads every process's CPU from /proc (and the machine's from /proc/stat) and sorts the
 * difference into named parts, so that the rest of a step is no longer one figure: this database's
 * PostgreSQL backends, other databases' backends (other work on a shared machine), PostgreSQL's
 * background processes, Redis, kernel threads, other processes (the largest named), interrupts
 * and steal time, and what no process seen at both ends accounts for (processes that ended
 * during the tick).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

interface Proc {
  comm: string;
  cmd: string;
  ppid: number;
  cpu: number;
}

export interface MachineSnapshot {
  procs: Map<number, Proc>;
  /** /proc/stat's first line: user nice system idle iowait irq softirq steal, in seconds. */
  stat: number[];
}

export function machineSnapshot(): MachineSnapshot {
  const procs = new Map<number, Proc>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        // gone meanwhile
      }
      procs.set(Number(d), { comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')), cmd, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK });
    } catch {
      // the process ended between readdir and read
    }
  }
  const stat = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map((v) => Number(v) / TICK);
  return { procs, stat };
}

export type Part = 'workers' | 'planner' | 'this database' | 'other databases' | 'PostgreSQL background' | 'Redis' | 'kernel threads' | 'other processes' | 'irq + softirq + steal' | 'ended during the tick';

/**
 * CPU seconds of each part between two snapshots. `workers` and `planner` are pids; a PostgreSQL
 * backend belongs to this database when its command line (PostgreSQL's process title) names it.
 */
export function machineShare(a: MachineSnapshot, b: MachineSnapshot, o: { workers: number[]; planner: number; database: string }): { parts: Map<Part, number>; top: [string, number][] } {
  const parts = new Map<Part, number>();
  const add = (p: Part, v: number) => parts.set(p, (parts.get(p) ?? 0) + v);
  const others = new Map<string, number>();
  let seen = 0;
  for (const [pid, q] of b.procs) {
    const d = q.cpu - (a.procs.get(pid)?.cpu ?? 0);
    seen += d;
    if (d <= 0) continue;
    if (o.workers.includes(pid)) add('workers', d);
    else if (pid === o.planner) add('planner', d);
    else if (q.comm === 'redis-server') add('Redis', d);
    else if (q.comm === 'postgres' || q.cmd.startsWith('postgres:')) {
      if (q.cmd.includes(` ${o.database} `)) add('this database', d);
      else if (/\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(q.cmd)) add('other databases', d);
      else add('PostgreSQL background', d);
    } else if (q.cmd === '' || q.ppid === 2) add('kernel threads', d);
    else {
      add('other processes', d);
      const name = q.cmd.split(' ').slice(0, 3).join(' ').slice(0, 60);
      others.set(name, (others.get(name) ?? 0) + d);
    }
  }
  const dt = b.stat.map((v, i) => v - a.stat[i]);
  const [user, nice, system, , , irq, softirq, steal] = dt;
  add('irq + softirq + steal', irq + softirq + steal);
  // What /proc/stat counts as busy (user, nice, system) that no process seen at both ends holds.
  add('ended during the tick', Math.max(0, user + nice + system - seen));
  return { parts, top: [...others].sort((x, y) => y[1] - x[1]).slice(0, 3) };
}
