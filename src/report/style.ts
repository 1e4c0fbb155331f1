/* The report pages' stylesheet: readable at 1280×800, printable, no web fonts. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d1f21; --muted: #5f6368; --rule: #d9dce0; --panel: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 16px 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
header h1 { margin: 0 0 2px; font-size: 22px; }
header .made { margin: 0 0 12px; color: var(--muted); font-size: 12px; }
section { border-top: 1px solid var(--rule); padding: 10px 0 14px; }
h2 { font-size: 17px; margin: 6px 0; }
h3 { font-size: 15px; margin: 10px 0 4px; }
p.note { color: var(--muted); margin: 2px 0 8px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
table:not(.steps) { display: block; max-width: 100%; overflow-x: auto; }
h1, h2, h3, p, li, figcaption, .lane { overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
svg { max-width: 100%; height: auto; }
@media (max-width: 600px) { body { padding: 10px 10px 32px; } }
th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
pre.code { background: var(--panel); border: 1px solid var(--rule); padding: 8px 10px; overflow-x: auto; font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; }
.badge { color: #fff; border-radius: 3px; padding: 0 6px; font-size: 12px; font-weight: 600; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.row > * { min-width: 0; max-width: 100%; }
figure { margin: 4px 0 10px; }
figcaption { color: var(--muted); font-size: 12px; }
.warning { background: #fff4e0; border: 1px solid #e0a21b; padding: 6px 10px; }
svg text { font: 12px system-ui, sans-serif; }
button { font: inherit; padding: 2px 10px; }
.verdict.verified { border-left: 4px solid #3c9d3c; padding-left: 8px; }
.verdict.forbidden { border-left: 4px solid #d23c3c; padding-left: 8px; }
.witness { margin: 10px 0 16px; }
.player { border: 1px solid var(--rule); padding: 8px 10px; outline-offset: 2px; }
.player .controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.player input[type=range] { width: 240px; max-width: 100%; }
.player .lanes { display: flex; gap: 10px; margin: 8px 0; flex-wrap: wrap; }
.player .lane { flex: 1 1 200px; background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; padding: 4px 8px; font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
.player .lane strong { display: block; font: 600 12px system-ui, sans-serif; color: var(--muted); }
.player .lane.acting { border-color: #4a78c2; box-shadow: inset 4px 0 0 #4a78c2; }
.player .lane.shared { background: #fffbe8; }
.steps-scroller { max-height: 420px; overflow: auto; position: relative; }
table.steps thead th { position: sticky; top: 0; }
table.steps td { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; cursor: pointer; }
table.steps tr.current td { background: #dde8fb; }
table.steps tr.current td.acting { background: #b9d0f5; font-weight: 600; }
table.steps tr.future td { color: #a0a4a8; }
`;
