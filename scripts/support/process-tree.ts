import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes as /proc shows them (Linux), for tests that must prove nothing was left running. A
 * process is named by pid and start time together: a pid may be reused once its owner is gone.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Clock ticks after boot: with the pid, identifies this very process. */
  start: number;
  comm: string;
  cmdline: string;
}

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: the fixed fields follow the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    // rest[0] is field 3 (state): ppid 4, pgrp 5, session 6, starttime 22.
    const field = (n: number): number => Number(rest[n - 3]);
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // Gone in between, or a kernel thread.
    }
    if (rest[0] === 'Z') return null; // a zombie has exited; only its entry waits for the parent
    return { pid, ppid: field(4), pgid: field(5), sid: field(6), start: field(22), comm, cmdline };
  } catch {
    return null;
  }
}

export function allProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info) found.push(info);
  }
  return found;
}

/** Every live process below `pid` (children, their children...). */
export function descendantsOf(pid: number): ProcessInfo[] {
  const all = allProcesses();
  const byParent = new Map<number, ProcessInfo[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: ProcessInfo[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.shift() ?? -1) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** Whether this very process (same pid, same start) still runs. */
export function stillRunning(p: Pick<ProcessInfo, 'pid' | 'start'>): boolean {
  const now = readProcess(p.pid);
  return now !== null && now.start === p.start;
}
