/*
 * The report pages without a browser: the data each kind embeds (src/report),
 * and the page's shape: one file, the data escaped inside it, nothing loaded
 * from anywhere.
 */
import { describe, expect, it } from 'vitest';
import { observedKey, waitGraph } from '../../src/report/run.js';
import { reportHtml, sizeofReportData } from '../../src/report/index.js';
import { sizeofLiteral } from '../../src/pymem/demos.js';
import { exploreReportData, hangGraph } from '../../src/report/explore.js';
import { formatExploration } from '../../src/explorer/report-text.js';
import type { Exploration } from '../../src/explorer/explore.js';

describe('run report data', () => {
  it("reads the watchdog's wait lines into a graph of workers and what they wait for", () => {
    const graph = waitGraph([
      'philosopher 0 holds fork 0, waits for fork 1 (held by philosopher 1)',
      'philosopher 1 holds fork 1, waits for fork 0 (held by philosopher 0)',
      'philosopher 2 holds no fork, waits for none (finished)',
      'a line of another shape',
    ]);
    expect(graph.nodes).toEqual([
      { id: 'philosopher 0', kind: 'worker' },
      { id: 'fork 1', kind: 'resource' },
      { id: 'philosopher 1', kind: 'worker' },
      { id: 'fork 0', kind: 'resource' },
      { id: 'philosopher 2', kind: 'worker' },
    ]);
    expect(graph.edges).toEqual([
      { from: 'philosopher 0', to: 'fork 1', kind: 'waits' },
      { from: 'fork 1', to: 'philosopher 1', kind: 'held' },
      { from: 'philosopher 1', to: 'fork 0', kind: 'waits' },
      { from: 'fork 0', to: 'philosopher 0', kind: 'held' },
    ]);
  });

  it("plots 'lost' when the judge gives it, else the first figure that varies", () => {
    const run = (values: Record<string, number>) => ({ values }) as never;
    expect(observedKey([run({ counter: 3, lost: 1 }), run({ counter: 4, lost: 0 })])).toBe('lost');
    expect(observedKey([run({ expected: 4, seen: 3 }), run({ expected: 4, seen: 4 })])).toBe('seen');
    expect(observedKey([])).toBeNull();
  });
});

describe('explore report data', () => {
  const row = (step: number, worker: number) => ({ step, worker, operation: `step ${step}`, state: `counter=${step}` });
  const exploration = (variant: string, verified: boolean, witnesses: string[]): Exploration => ({
    scenario: 'lost-update', variant, workers: 2, iterations: 1, seed: 0, strategy: 'dfs', preemptions: 2, depth: 3,
    schedules: 6, abandoned: 0, steps: 24, seconds: 0.5, searchSeconds: 0.1, complete: true, cutShort: null, verified, forbidden: false,
    outcomes: [
      { outcome: 'counter=2', classification: 'ACCEPTABLE', description: 'all counted', observed: 'counter=2', count: 6 - witnesses.length, firstSeconds: 0.1 },
      ...witnesses.map((id, index) => ({ outcome: `lost ${index}`, classification: 'INTERESTING' as const, description: 'lost', observed: 'counter=1', count: 1, firstSeconds: 0.2, witness: { id, preemptions: 1, steps: 2, rows: [row(1, 0), row(2, 1)] } })),
    ],
  });
  const explored = (e: Exploration, argument = 'lost-update') => ({ exploration: e, summary: `${e.variant} summary`, python: 'counter.value += 1', argument });

  it("gives each witness the replay command and the verdict the terminal report prints", () => {
    const data = exploreReportData({ name: 'lost-update', summary: 's', explain: 'e' }, [explored(exploration('racy', false, ['v1:a', 'v1:b']), './my file.ts'), explored(exploration('fixed', true, []))]);
    expect(data.variants[0].outcomes.map((o) => o.witness?.replay)).toEqual([undefined, "memplay explore './my file.ts' --replay v1:a", "memplay explore './my file.ts' --replay v1:b"]);
    expect(data.variants[0].verdict).toMatch(/^the race this variant exists to show happens \(lost 0, lost 1\)/);
    expect(data.variants[1].verdict).toMatch(/^verified at K=2: all 6 schedules/);
    expect(data.variants.map((v) => [v.summary, v.python])).toEqual([['racy summary', 'counter.value += 1'], ['fixed summary', 'counter.value += 1']]);
    expect(data.forbidden).toBe(false);
    const printed = formatExploration(exploration('racy', false, ['v1:a']), './my file.ts').split('\n');
    const [racy] = exploreReportData({ name: 'lost-update', summary: 's', explain: 'e' }, [explored(exploration('racy', false, ['v1:a']), './my file.ts')]).variants;
    expect(printed).toContain(`replay: ${racy.outcomes[1].witness!.replay}`);
    expect(printed.at(-1)).toBe(racy.verdict);
  });

  it("reads the explorer's hang lines into a graph of workers and the locks they wait for and who holds them", () => {
    const graph = hangGraph([
      'worker 0: holds forks[0]; waits in forks[1].acquire(), held by worker 1',
      'worker 1: holds forks[1]; waits in forks[0].acquire(), held by worker 0',
      'worker 2: waits in cond.wait(), and nobody left will wake it',
      'worker 3: spins on `read flag.value -> 0`, which nothing left running will change',
    ]);
    expect(graph.nodes.map((node) => `${node.kind} ${node.id}`)).toEqual(['worker worker 0', 'resource forks[1]', 'worker worker 1', 'resource forks[0]', 'worker worker 2', 'resource cond', 'worker worker 3']);
    expect(graph.edges).toEqual([
      { from: 'worker 0', to: 'forks[1]', kind: 'waits' },
      { from: 'forks[1]', to: 'worker 1', kind: 'held' },
      { from: 'worker 1', to: 'forks[0]', kind: 'waits' },
      { from: 'forks[0]', to: 'worker 0', kind: 'held' },
      { from: 'worker 2', to: 'cond', kind: 'waits' },
    ]);
  });
});

describe('report page', () => {
  it('is one page with the libraries and the data inlined, and nothing to fetch', () => {
    const html = reportHtml('sim', sizeofReportData(sizeofLiteral("['</script><b>', 1]")));
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    const json = /<script id="memplay-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(json).items[0].repr).toBe("'</script><b>'");
  });
});
