/*
 * The machine a benchmark ran on, recorded beside its figures: CPU model and
 * count, whether it is a virtual machine (the "hypervisor" CPU flag), kernel,
 * Node version, and the load average, which says how much the figures can be trusted.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  virtual: boolean;
  kernel: string;
  node: string;
}

export function describeMachine(): Machine {
  const cpuinfo = readCpuinfo();
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(cpuinfo)?.[1]?.trim();
  return {
    cpu: field('model name') ?? 'unknown',
    cores: availableParallelism(),
    virtual: (field('flags') ?? '').split(' ').includes('hypervisor'),
    kernel: `Linux ${release()}`,
    node: process.version,
  };
}

/** The 1, 5 and 15 minute load averages, rounded to two decimals. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = loadavg().map((load) => Math.round(load * 100) / 100);
  return [one, five, fifteen];
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}
