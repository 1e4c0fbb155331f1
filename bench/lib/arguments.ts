/*
 * The command line the single-part benchmarks share: [--reps N] [--json].
 * A bad argument is one line on stderr and exit code 2.
 */

export interface BenchArguments {
  reps: number;
  json: boolean;
}

export function parseBenchArguments(script: string, argv: string[], defaultReps: number): BenchArguments {
  const options: BenchArguments = { reps: defaultReps, json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--reps' && /^[1-9]\d*$/.test(argv[i + 1] ?? '')) options.reps = Number(argv[++i]);
    else {
      process.stderr.write(`${script}: unexpected argument '${argv[i]}' (usage: [--reps N] [--json])\n`);
      process.exit(2);
    }
  }
  return options;
}
