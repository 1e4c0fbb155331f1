/*
 * The report pages without a browser: the data each kind embeds (src/report),
 * and the page's shape: one file, the data escaped inside it, nothing loaded
 * from anywhere.
 */
import { describe, expect, it } from 'vitest';
import { observedKey, waitGraph } from '../../src/report/run.js';
import { reportHtml, sizeofReportData } from '../../src/report/index.js';
import { sizeofLiteral } from '../../src/pymem/demos.js';

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
