/*
 * `memplay sim`: the CPython memory model (src/pymem) from a terminal, for a
 * teacher: the size of a Python expression's value with its breakdown, how a
 * list, a dict and a set grow, pools and arenas kept alive by fragmentation, a
 * cycle only the GC frees, the recursion limit, the GC's generations and its
 * automatic schedule, and when equal ints are one object. Each subcommand prints
 * a table, or with --json the data (for `sizeof`, `size` is what sys.getsizeof
 * gives for the expression evaluated by CPython 3.11).
 * An expression that Python rejects or that raises is reported in one line, as
 * Python names the error; one the model does not evaluate says so.
 */
import { Option, type Command } from 'commander';
import { integerAtLeast, oneOf } from '../arguments.js';
import { CliContext } from '../context.js';
import type { Limit } from '../limits.js';
import { UsageError } from '../usage-error.js';
import { GROWTH_KEYS, type GrowthKey } from '../../pymem/growth-keys.js';
import type { SizeBreakdown } from '../../pymem/demos.js';
import { LiteralSyntaxError, NotModelledError } from '../../pymem/constant.js';
import { PythonError } from '../../errors.js';
import { renderContainerGrowth, renderCycle, renderFragmentation, renderGenerations, renderListGrowth, renderRecursion, renderSizeof, renderSmallInts, shortened } from '../../pymem/report-text.js';
import { loadMemoryModel } from '../engines.js';
import { checkHtmlOptions, emitHtmlReport, withHtmlOptions, type HtmlOptions } from '../html-report.js';

// Each command's own bound on its count, checked as the argument is read (one message for all, as every other limit's).
const APPENDS: Limit = { max: 1_000_000, reason: 'the model grows the list one append at a time' };
const INSERTIONS: Limit = { max: 5_000, reason: "the model's dicts and sets scan their entries: n insertions cost n * n / 2 comparisons" };
const ALLOCATIONS: Limit = { max: 1_000_000, reason: 'each list is made in the model heap, one at a time' };
const OBJECTS: Limit = { max: 4_000_000, reason: 'each float is made in the model heap, one at a time' };
const RECURSION_LIMIT: Limit = { max: 1_000_000, reason: 'each call is a frame of the model' };

export function registerSim(program: Command): void {
  const sim = program.command('sim').description('explore the CPython 3.11 memory model: sizes, list, dict and set growth, pools, cycles, the GC, recursion, identity');
  // Without a subcommand: one line that names them (a usage mistake), not the whole help page.
  sim.argument('[command]').usage('[options] <command>').action((unknown?: string) => {
    const names = sim.commands.map((command) => command.name()).join(', ');
    throw new UsageError(unknown === undefined ? `sim needs a command: ${names} (memplay sim --help)` : `unknown sim command '${unknown}' (the commands: ${names})`);
  });

  withHtmlOptions(sim
    .command('sizeof')
    .description('sys.getsizeof of a Python expression\'s value, as CPython 3.11 builds it, with a breakdown')
    .argument('<expression>', "a literal, an operation, a builtin call or a comprehension, e.g. \"[1, 2, 3]\", \"list(range(10))\", \"[i for i in range(10)]\"; one starting with - may follow -- (\"sim sizeof -- -2**30\") or stand alone (\"sim sizeof -1j\")")
    .allowUnknownOption())
    .action(async (source: string, options: HtmlOptions, command: Command) => {
      const context = CliContext.of(command);
      checkHtmlOptions(options);
      const breakdown = await sizeofExpression(source);
      context.emit(breakdown, renderSizeof);
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'sim', r.sizeofReportData(breakdown)));
    });

  withHtmlOptions(sim
    .command('list-growth')
    .description('where a list grown by N appends reallocates: its length, slots allocated and sys.getsizeof at each reallocation (--json: also getsizeof after every append)')
    .argument('<n>', `number of appends (a whole number from 1 to ${APPENDS.max})`, integerAtLeast(1, APPENDS)))
    .action(async (n: number, options: HtmlOptions, command: Command) => {
      checkHtmlOptions(options);
      const growth = (await loadMemoryModel()).listGrowth(n);
      CliContext.of(command).emit(growth, renderListGrowth);
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'sim', r.listGrowthReportData(growth)));
    });

  for (const container of ['dict', 'set'] as const) {
    withHtmlOptions(sim
      .command(`${container}-growth`)
      .description(`where a ${container}'s table resizes over N insertions (${container === 'dict' ? 'd[key] = None' : 's.add(key)'}): the length and sys.getsizeof at each resize (--json: getsizeof after every insertion)`)
      .argument('<n>', `number of insertions (a whole number from 1 to ${INSERTIONS.max})`, integerAtLeast(1, INSERTIONS))
      .addOption(new Option('--keys <kind>', "the keys inserted: int (i), str ('k<i>'), float (i + 0.5) or tuple ((i,))").argParser(oneOf(GROWTH_KEYS)).default('int')))
      .action(async (n: number, options: { keys: GrowthKey } & HtmlOptions, command: Command) => {
        checkHtmlOptions(options);
        const growth = (await loadMemoryModel()).containerGrowth(container, options.keys, n);
        CliContext.of(command).emit(growth, renderContainerGrowth);
        await emitHtmlReport(options, (r, file) => r.writeReport(file, 'sim', r.containerGrowthReportData(growth)));
      });
  }

  withHtmlOptions(sim
    .command('fragmentation')
    .description('allocate floats, free all but a few per pool: the arenas stay mapped until the last block goes')
    .addOption(new Option('--objects <n>', `floats to allocate (at most ${OBJECTS.max})`).argParser(integerAtLeast(1, OBJECTS)).default(100_000))
    .addOption(new Option('--keep-every <k>', 'keep one float in every k').argParser(integerAtLeast(2)).default(500))
    .option('--report', "also print the allocator's statistics at the fragmented point (sys._debugmallocstats layout)", false))
    .action(async (options: { objects: number; keepEvery: number; report: boolean } & HtmlOptions, command: Command) => {
      checkHtmlOptions(options);
      const { poolFragmentation, formatMallocStats } = await loadMemoryModel();
      const result = poolFragmentation(options.objects, options.keepEvery);
      CliContext.of(command).emit(result, (f) => renderFragmentation(f, options.report ? formatMallocStats(f.report) : undefined));
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'sim', r.fragmentationReportData(result)));
    });

  withHtmlOptions(sim
    .command('cycle')
    .description('two objects that point at each other: del leaves them alive, gc.collect() frees them'))
    .action(async (options: HtmlOptions, command: Command) => {
      checkHtmlOptions(options);
      const cycle = (await loadMemoryModel()).cycleLeak();
      CliContext.of(command).emit(cycle, renderCycle);
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'sim', r.cycleReportData(cycle)));
    });

  withHtmlOptions(sim
    .command('generations')
    .description('a list that survives collections moves up the generations; allocations start collections (--allocations: the automatic schedule over N allocations)')
    .addOption(new Option('--allocations <n>', `also make and keep N lists in a fresh heap and count the automatic collections of each generation (at most ${ALLOCATIONS.max})`).argParser(integerAtLeast(1, ALLOCATIONS))))
    .action(async (options: { allocations?: number } & HtmlOptions, command: Command) => {
      checkHtmlOptions(options);
      const { generations, gcSchedule } = await loadMemoryModel();
      const result = { ...generations(), schedule: options.allocations === undefined ? undefined : gcSchedule(options.allocations) };
      CliContext.of(command).emit(result, renderGenerations);
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'sim', r.generationsReportData(result)));
    });

  sim
    .command('recursion')
    .description('recurse from module level until RecursionError')
    .addOption(new Option('--limit <n>', 'sys.setrecursionlimit (CPython refuses a limit at or below the depth of the call: 1 and 2 from module level)').argParser(integerAtLeast(1, RECURSION_LIMIT)).default(1000))
    .action(async (options: { limit: number }, command: Command) => {
      const result = (await loadMemoryModel()).recursionLimit(options.limit);
      if (result.refused !== undefined) throw new UsageError(`sys.setrecursionlimit(${options.limit}) raises ${result.refused}`);
      CliContext.of(command).emit(result, renderRecursion);
    });

  sim
    .command('small-ints')
    .description('`a is b` for equal ints: the small-int cache, and the constants one compilation shares')
    .action(async (_options, command: Command) => {
      CliContext.of(command).emit((await loadMemoryModel()).smallIntIdentity(), renderSmallInts);
    });
}

/** `sim sizeof`'s answer for an expression: its breakdown, or a UsageError of one line. */
export async function sizeofExpression(source: string): Promise<SizeBreakdown> {
  const { sizeofLiteral } = await loadMemoryModel();
  return evaluated(source, () => sizeofLiteral(source));
}

/** Runs an evaluation of the user's expression: its Python errors and the model's refusals become one usage line. */
function evaluated<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const shown = JSON.stringify(shortened(source, 60));
    if (error instanceof LiteralSyntaxError) throw new UsageError(`cannot read ${shown} as a Python expression: SyntaxError: ${error.message}`);
    if (error instanceof NotModelledError) throw new UsageError(`cannot evaluate ${shown}: ${error.message}`);
    if (error instanceof PythonError || error instanceof TypeError) throw new UsageError(`${shown} raises ${error.name}: ${error.message}`);
    throw error;
  }
}
