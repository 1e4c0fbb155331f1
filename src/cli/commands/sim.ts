/*
 * `memplay sim`: the CPython memory model (src/pymem) from a terminal, for a
 * teacher: the size of a Python literal with its breakdown, how a list grows,
 * pools and arenas kept alive by fragmentation, a cycle only the GC frees, the
 * recursion limit, the GC's generations, and small-int identity. Each subcommand prints a table, or
 * with --json the data (for `sizeof`, `size` is what sys.getsizeof gives for the
 * literal evaluated by CPython 3.11).
 */
import { Option, type Command } from 'commander';
import { integerAtLeast } from '../arguments.js';
import { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { cycleLeak, generations, listGrowth, poolFragmentation, recursionLimit, sizeofLiteral, smallIntIdentity, type SizeBreakdown } from '../../pymem/demos.js';
import { LiteralSyntaxError } from '../../pymem/literal.js';
import { formatMallocStats } from '../../pymem/malloc-stats.js';

const MAX_APPENDS = 1_000_000;
const MAX_OBJECTS = 4_000_000;
const MAX_LIMIT = 1_000_000;

export function registerSim(program: Command): void {
  const sim = program.command('sim').description("explore the CPython 3.11 memory model: sizes, list growth, pools, cycles, recursion");

  sim
    .command('sizeof')
    .description('sys.getsizeof of a Python literal, as CPython 3.11 builds it, with a breakdown')
    .argument('<literal>', "a Python literal, e.g. \"[1, 2, 3]\" or \"{'a': (1, 2.5)}\"")
    .action((source: string, _options, command: Command) => {
      const context = CliContext.of(command);
      let breakdown: SizeBreakdown;
      try {
        breakdown = sizeofLiteral(source);
      } catch (error) {
        if (error instanceof LiteralSyntaxError) throw new UsageError(`cannot read ${JSON.stringify(shorten(source))} as a Python literal: ${error.message}`);
        throw error;
      }
      context.emit(breakdown, renderSizeof);
    });

  sim
    .command('list-growth')
    .description('sys.getsizeof of a list after each of N appends, and where it reallocates')
    .argument('<n>', 'number of appends (a whole number >= 1)', integerAtLeast(1))
    .action((n: number, _options, command: Command) => {
      if (n > MAX_APPENDS) throw new UsageError(`list-growth takes at most ${MAX_APPENDS} appends, got ${n}`);
      CliContext.of(command).emit(listGrowth(n), (g) =>
        [
          `A list grown by ${g.appends} appends reallocates ${g.resizes.length} times (list_resize over-allocates):`,
          '',
          `${'len'.padStart(9)} ${'allocated'.padStart(10)} ${'getsizeof'.padStart(10)}`,
          ...g.resizes.map((r) => `${String(r.length).padStart(9)} ${String(r.allocated).padStart(10)} ${String(r.size).padStart(10)}`),
          '',
          `final size: ${g.sizes.at(-1)} bytes`,
        ].join('\n'),
      );
    });

  sim
    .command('fragmentation')
    .description('allocate floats, free all but a few per pool: the arenas stay mapped until the last block goes')
    .addOption(new Option('--objects <n>', 'floats to allocate').argParser(integerAtLeast(1)).default(100_000))
    .addOption(new Option('--keep-every <k>', 'keep one float in every k').argParser(integerAtLeast(2)).default(500))
    .option('--report', "also print the allocator's statistics at the fragmented point (sys._debugmallocstats layout)", false)
    .action((options: { objects: number; keepEvery: number; report: boolean }, command: Command) => {
      if (options.objects > MAX_OBJECTS) throw new UsageError(`fragmentation takes at most ${MAX_OBJECTS} objects, got ${options.objects}`);
      const result = poolFragmentation(options.objects, options.keepEvery);
      CliContext.of(command).emit(result, (f) => {
        const header = `${'phase'.padEnd(30)} ${'live'.padStart(8)} ${'arenas'.padStart(7)} ${'freed'.padStart(6)} ${'pools'.padStart(6)} ${'in use B'.padStart(10)} ${'held, unused B'.padStart(15)} ${'use'.padStart(7)}`;
        const rows = f.phases.map(
          (p) =>
            `${p.phase.padEnd(30)} ${String(p.liveObjects).padStart(8)} ${String(p.arenas).padStart(7)} ${String(p.arenasReclaimed).padStart(6)} ${String(p.poolsInUse).padStart(6)} ${String(p.bytesInAllocatedBlocks).padStart(10)} ${String(p.fragmentationBytes).padStart(15)} ${(p.utilization * 100).toFixed(2).padStart(6)}%`,
        );
        const lines = [`${f.objects} floats (${f.objectBytes} bytes each, 32-byte blocks); keep one in every ${f.keepEvery}:`, '', header, ...rows];
        if (options.report) lines.push('', 'At the fragmented point:', formatMallocStats(f.report));
        return lines.join('\n');
      });
    });

  sim
    .command('cycle')
    .description('two objects that point at each other: del leaves them alive, gc.collect() frees them')
    .action((_options, command: Command) => {
      CliContext.of(command).emit(cycleLeak(), (c) =>
        c.steps
          .map((s) => {
            const counts = Object.entries(s.refcounts).map(([name, count]) => `${name}: refcount ${count}`).join(', ');
            const collected = s.collected === undefined ? '' : ` -> ${s.collected} unreachable objects found and freed`;
            return `>>> ${s.code}${collected}\n    ${s.alive ? `alive (${counts})` : 'freed'}`;
          })
          .join('\n'),
      );
    });

  sim
    .command('generations')
    .description('a list that survives collections moves up the generations; allocations start collections')
    .action((_options, command: Command) => {
      CliContext.of(command).emit(generations(), (g) =>
        [
          `gc.get_threshold() == (${g.thresholds.join(', ')})`,
          '',
          `${'code'.padEnd(34)} ${'gc.get_count()'.padEnd(16)} ${'x in generation'.padEnd(16)} collections (gen 0, 1, 2)`,
          ...g.steps.map((s) => `${s.code.padEnd(34)} ${`(${s.count.join(', ')})`.padEnd(16)} ${String(s.generationOfX).padEnd(16)} ${s.collections.join(', ')}`),
        ].join('\n'),
      );
    });

  sim
    .command('recursion')
    .description('recurse from module level until RecursionError')
    .addOption(new Option('--limit <n>', 'sys.setrecursionlimit').argParser(integerAtLeast(2)).default(1000))
    .action((options: { limit: number }, command: Command) => {
      if (options.limit > MAX_LIMIT) throw new UsageError(`recursion takes a limit of at most ${MAX_LIMIT}, got ${options.limit}`);
      CliContext.of(command).emit(recursionLimit(options.limit), (r) =>
        [
          `sys.setrecursionlimit(${r.limit}); def recurse(): recurse(); recurse()`,
          `${r.deepestCall} calls succeeded (${r.framesAtError} frames with the module's), then:`,
          r.error,
        ].join('\n'),
      );
    });

  sim
    .command('small-ints')
    .description('`a is b` for equal ints made apart: only the cached small ints are shared')
    .action((_options, command: Command) => {
      CliContext.of(command).emit(smallIntIdentity(), (s) =>
        [
          `ints in ${s.range[0]}..${s.range[1]} are preallocated and shared:`,
          ...s.checks.map((c) => `  a = ${c.value}; b = ${c.value}  ->  a == b: ${c.equal ? 'True' : 'False'}, a is b: ${c.is ? 'True' : 'False'}`),
        ].join('\n'),
      );
    });
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function renderSizeof(b: SizeBreakdown): string {
  const lines = [
    `sys.getsizeof(${b.source}) == ${b.size}`,
    `  ${b.type}, built by ${b.built}`,
    `  object: ${b.object.bytes} bytes${b.object.gcHeader ? ` (GC header ${b.object.gcHeader} + ${b.object.bytes - b.object.gcHeader})` : ''}, ${b.object.allocator === 'static' ? 'statically allocated' : `${b.object.allocator} block of ${b.object.blockBytes}`}`,
  ];
  if (b.buffer !== null) lines.push(`  buffer: ${b.buffer.bytes} bytes, ${b.buffer.allocator} block of ${b.buffer.blockBytes}`);
  if (b.items.length > 0) {
    lines.push(`  items (not counted in getsizeof):`);
    for (const item of b.items.slice(0, 20)) lines.push(`    ${item.repr.length > 40 ? `${item.repr.slice(0, 37)}...` : item.repr}: ${item.size}${item.shared ? ' (shared)' : ''}`);
    if (b.items.length > 20) lines.push(`    ... and ${b.items.length - 20} more`);
  }
  lines.push(`  everything it reaches, each object once: ${b.deepSize} bytes`);
  return lines.join('\n');
}
