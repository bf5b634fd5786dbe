import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU and memory of the portal process and of PostgreSQL (the postmaster and its backends), read
 * from /proc (Linux). CPU is user + system time; /proc counts it in USER_HZ ticks, 100 a second
 * on Linux whatever the kernel's HZ.
 */

const MS_PER_TICK = 10;

interface ProcStat {
  cpuMs: number;
  /** CPU of children that exited and were waited for (a postmaster's finished backends). */
  childrenCpuMs: number;
  ppid: number;
}

function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: the fixed fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    const at = (field: number): number => Number(fields[field - 3] ?? 0);
    return { cpuMs: (at(14) + at(15)) * MS_PER_TICK, childrenCpuMs: (at(16) + at(17)) * MS_PER_TICK, ppid: at(4) };
  } catch {
    return null;
  }
}

/** The live children of `pid`. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (procStat(Number(entry))?.ppid === pid) found.push(Number(entry));
  }
  return found;
}

/** CPU time a process has used so far, in ms. */
export function processCpuMs(pid: number): number {
  return procStat(pid)?.cpuMs ?? 0;
}

/** CPU time PostgreSQL has used so far: postmaster, live backends, and backends already gone. */
export function clusterCpuMs(postmasterPid: number): number {
  const postmaster = procStat(postmasterPid);
  const live = childrenOf(postmasterPid).reduce((sum, pid) => sum + (procStat(pid)?.cpuMs ?? 0), 0);
  return live + (postmaster ? postmaster.cpuMs + postmaster.childrenCpuMs : 0);
}

function statusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Peak resident set of a process so far (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  return (statusKb(pid, 'VmHWM') || statusKb(pid, 'VmRSS')) / 1024;
}

/**
 * Memory of the cluster now, in MB: the proportional set size (Pss) of the postmaster and its
 * backends, so the shared buffers every backend maps are counted once, not once per backend.
 * Falls back to the resident set when smaps_rollup cannot be read.
 */
export function clusterMemoryMb(postmasterPid: number): number {
  let kb = 0;
  for (const pid of [postmasterPid, ...childrenOf(postmasterPid)]) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += Number(match?.[1] ?? statusKb(pid, 'VmRSS'));
    } catch {
      kb += statusKb(pid, 'VmRSS');
    }
  }
  return kb / 1024;
}

/**
 * CPU time the whole machine has been busy so far (every core, every process), in ms, from
 * /proc/stat: with the portal's, PostgreSQL's and the bench's own, it says how much went to
 * neighbours during the run, which on a shared machine moves every latency.
 */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
}

/** Run-queue wait of one thread so far, in ms: /proc/…/schedstat's second field (ns). */
function schedWaitMs(statPath: string): number {
  try {
    return Number(readFileSync(statPath, 'utf8').split(' ')[1] ?? 0) / 1e6;
  } catch {
    return 0;
  }
}

/**
 * Time the threads of `pid` have spent runnable but waiting for a core so far, in ms (the
 * kernel's run-queue wait, summed over threads). It grows when the process wants the CPU and the
 * machine is busy: beside the CPU it used, it tells a process starved by its neighbours from one
 * that is slow itself or waiting on I/O or locks (neither of which counts here).
 */
export function runQueueWaitMs(pid: number): number {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) total += schedWaitMs(`/proc/${pid}/task/${tid}/schedstat`);
  } catch {
    return 0;
  }
  return total;
}

/** The same for PostgreSQL: the postmaster and its live backends. */
export function clusterRunQueueWaitMs(postmasterPid: number): number {
  return [postmasterPid, ...childrenOf(postmasterPid)].reduce((sum, pid) => sum + runQueueWaitMs(pid), 0);
}
