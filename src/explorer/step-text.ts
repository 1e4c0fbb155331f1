/*
 * One step of a schedule in Python terms, for a witness's step table:
 * `read counter.value -> 41`, `counter.value = 42`, `lock.acquire()` (and
 * "blocks" when the worker ended the step asleep), `cond.notify(1) wakes worker 2`,
 * `resumes in cond.wait()` after a wake, `time.sleep(0.001)`; a Python process's
 * start, join, is_alive() and end. A step of a Python script begins with the
 * script's line it was at (`counter.py:21 counter.value += 1 | ...`).
 */
import { OPS } from '../atomics/scheduling-point.js';
import type { Step } from './controller.js';
import { formatNumber, type ObjectNames } from './object-names.js';
import { EXITED as EXITED_STATE, FIRST_PID } from '../python/process-table.js';
import { nounFor } from '../text/counted.js';

export function describeStep(step: Step, names: ObjectNames): string {
  const call = describeOperation(step, names);
  const text =
    step.kind === 'resume' ? `resumes in ${call} (woken)` : step.kind === 'timeout' ? `${call} times out` : call;
  const woke = step.woke.length === 0 ? '' : `, wakes ${nounFor(step.woke.length, 'worker')} ${step.woke.join(', ')}`;
  const end = step.blocks ? ' blocks' : step.finishes ? ', returns' : '';
  const where = step.op.where === undefined ? '' : `${step.op.where} | `;
  return `${where}${text}${woke}${end}`;
}

/** The announced operation as the Python line it mirrors. */
export function describeOperation(step: Pick<Step, 'op' | 'before' | 'worker'>, names: ObjectNames): string {
  const { op } = step;
  const name = op.object >= 0 ? names.nameOf(op.object).name : '';
  const value = (n: number) => formatNumber(n, op.type);
  const before = step.before === undefined ? '?' : value(step.before);
  switch (OPS[op.op]) {
    case 'start':
      return 'starts';
    case 'value.read':
      return `read ${name}.value -> ${before}`;
    case 'value.write':
      return `${name}.value = ${value(op.value)}`;
    case 'array.read':
      return op.index < 0 ? `read ${name}[:]` : `read ${name}[${op.index}] -> ${before}`;
    case 'array.write':
      return `${name}[${op.index}] = ${value(op.value)}`;
    case 'words.load':
      return `read ${name}[${op.index}] -> ${before}`;
    case 'words.store':
      return `${name}[${op.index}] = ${op.value}`;
    case 'words.add':
      return `${name}[${op.index}] += ${op.value} (${before} -> ${(step.before ?? 0) + op.value})`;
    case 'words.compareExchange': {
      const swapped = step.before === op.expected;
      return `${name}.compare_exchange(${op.index}, ${op.expected}, ${op.value}) -> ${before}${swapped ? ' (swapped)' : ' (unchanged)'}`;
    }
    case 'words.wait':
      return `${name}.wait(${op.index}, ${op.value})`;
    case 'words.notify':
      return `${name}.notify(${op.index})`;
    case 'point':
      return `# ${op.label ?? ''}`;
    case 'sleep':
      return `time.sleep(${op.label ?? op.value})`;
    case 'notify':
      return `${name}.notify(${op.index})`;
    case 'release':
      return op.index > 1 ? `${name}.release(${op.index})` : `${name}.release()`;
    case 'mmap.get':
      return `read mm[${op.index}]`;
    case 'mmap.set':
      return `mm[${op.index}] = ${op.value}`;
    case 'mmap.slice':
      return `read mm[${op.index}:${op.value}]`;
    case 'mmap.setSlice':
      return `mm[${op.index}:${op.index + op.value}] = (${op.value} bytes)`;
    case 'mmap.read':
      return `mm.read(${Number.isFinite(op.value) ? op.value : ''}) at ${op.index}`;
    case 'mmap.write':
      return `mm.write(${op.value} bytes) at ${op.index}`;
    case 'barrier.wait':
      return `${name}.wait()`;
    case 'process.start':
      return `starts process pid ${FIRST_PID + op.index}`;
    case 'process.join':
      return `joins process pid ${FIRST_PID + op.index}`;
    case 'process.poll':
      return `looks whether process pid ${FIRST_PID + op.index} ended -> ${step.before === undefined ? '?' : step.before === EXITED_STATE ? 'yes' : 'no'}`;
    case 'process.exit':
      return step.worker === op.index ? `exits (code ${op.value})` : `ends process pid ${FIRST_PID + op.index} (exit code ${op.value})`;
    default:
      return `${name}.${OPS[op.op]}()`;
  }
}
