import type { Match, MatchRecord, NeedResult, Signal, Weights } from '../model.js';
import { SIGNALS } from '../model.js';
import { compareIds } from '../rank/compare-ids.js';
import type { RunSummary } from './run-summary.js';

/**
 * `--format html`: one self-contained report for a client. Inline CSS only, no
 * script, no font or image from anywhere (a Content-Security-Policy makes sure
 * nothing loads or runs), print styles for "Save as PDF". Every value from the
 * data goes through `escapeHtml`. Pure and deterministic: no date in it.
 */

/** The parts of a need or solution record the report shows beside the scores. */
export type ReportRecord = Pick<MatchRecord, 'text' | 'tags' | 'sectors'>;

export interface ReportContext {
  summary: RunSummary;
  weights: Weights;
  needs?: ReadonlyMap<string, ReportRecord>;
  solutions?: ReadonlyMap<string, ReportRecord>;
  title?: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const SIGNAL_LABELS: Record<Signal, string> = { text: 'Text', tags: 'Tags', sector: 'Sector' };
const score2 = (n: number) => n.toFixed(2);
/** A client needs the file's name, not where it sat on the consultant's disk. */
const baseName = (file: string) => file.split(/[\\/]/).pop() || file;
const percent = (n: number) => `${Math.round(n * 100)}%`;

/** The start of a text, cut at a word, for cards. */
export function excerpt(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

/** Anchor names from ids: safe characters only, unique within the report. */
function anchors(results: readonly NeedResult[]): string[] {
  const used = new Set<string>();
  return results.map((need) => {
    const base = `need-${need.needId.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x'}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  });
}

function scoreBand(score: number): string {
  return score >= 0.5 ? 'high' : score >= 0.2 ? 'mid' : 'low';
}

const chips = (values: readonly string[], kind: string) => (values.length ? `<ul class="chips ${kind}">${values.map((v) => `<li>${escapeHtml(v)}</li>`).join('')}</ul>` : '');

/** A kept field's value: http(s) addresses become links (shown as text), anything else is text. */
function fieldValue(value: string): string {
  const v = value.trim();
  if (/^https?:\/\/[^\s"'<>]+$/i.test(v)) return `<a href="${escapeHtml(v)}" rel="noopener noreferrer">${escapeHtml(v.replace(/^https?:\/\//i, '').replace(/\/$/, ''))}</a>`;
  return escapeHtml(v);
}

function fieldList(fields: Record<string, string> | undefined, hidden: ReadonlySet<string> = new Set()): string {
  const entries = Object.entries(fields ?? {}).filter(([key, value]) => !hidden.has(key) && value.trim() !== '');
  if (!entries.length) return '';
  return `<dl class="fields">${entries.map(([key, value]) => `<div><dt>${escapeHtml(key.replace(/^need_/, '').replace(/_/g, ' '))}</dt><dd>${fieldValue(value)}</dd></div>`).join('')}</dl>`;
}

function signalBars(match: Match, weights: Weights): string {
  const values: Record<Signal, number | null> = { text: match.textScore, tags: match.tagScore, sector: match.sectorScore };
  const rows = SIGNALS.filter((s) => weights[s] > 0).map((s) => {
    const v = values[s];
    const bar = v === null ? '<span class="bar none"></span>' : `<span class="bar"><span class="fill ${s}" style="width:${(Math.max(0, Math.min(1, v)) * 100).toFixed(1)}%"></span></span>`;
    return `<div class="signal"><span class="label">${SIGNAL_LABELS[s]}</span>${bar}<span class="value">${v === null ? 'n/a' : score2(v)}</span></div>`;
  });
  return `<div class="signals">${rows.join('')}</div>`;
}

/** Badges for --previous; an unchanged rank gets none, so the changes stand out. */
const CHANGE_LABELS: Record<string, string> = { new: 'new', up: '▲ up', down: '▼ down' };

function card(match: Match, weights: Weights, solution: ReportRecord | undefined): string {
  const change = match.extra?.change;
  const about = solution?.text ? `<p class="about">${escapeHtml(excerpt(solution.text, 220))}</p>` : '';
  const terms = match.topTerms.length ? `<p class="terms"><span class="k">Key terms</span> ${match.topTerms.map(escapeHtml).join(' · ')}</p>` : '';
  const shared = match.sharedTags.length ? `<div class="shared"><span class="k">Shared tags</span>${chips(match.sharedTags, 'tag')}</div>` : '';
  const why = match.explanation ? `<p class="why">${escapeHtml(match.explanation)}</p>` : '';
  return `<article class="card">
<header><span class="rank">${match.rank}</span><div class="who"><h3>${escapeHtml(match.solutionName)}</h3><span class="id">${escapeHtml(match.solutionId)}</span>${change && CHANGE_LABELS[change] ? ` <span class="change ${escapeHtml(change)}">${CHANGE_LABELS[change]}</span>` : ''}</div><span class="score ${scoreBand(match.score)}" title="overall score">${score2(match.score)}</span></header>
${signalBars(match, weights)}${about}${shared}${terms}${why}${fieldList(match.extra, new Set(['change']))}
</article>`;
}

function needSection(need: NeedResult, anchor: string, context: ReportContext): string {
  const record = context.needs?.get(need.needId);
  const description = record?.text ? `<p class="description">${escapeHtml(excerpt(record.text, 700))}</p>` : '';
  const meta = [record?.tags.length ? `<div><span class="k">Tags</span>${chips(record.tags, 'tag')}</div>` : '', record?.sectors.length ? `<div><span class="k">Sector</span>${chips(record.sectors, 'sector')}</div>` : ''].join('');
  const gaps = need.gaps?.length ? `<div class="gaps"><span class="k">Not covered by any candidate</span>${chips(need.gaps, 'gap')}</div>` : '';
  const cards = need.matches.length
    ? `<div class="cards">${need.matches.map((m) => card(m, context.weights, context.solutions?.get(m.solutionId))).join('\n')}</div>`
    : '<p class="empty">No startup scored above the minimum for this need.</p>';
  return `<section class="need" id="${anchor}">
<div class="need-head"><span class="need-id">${escapeHtml(need.needId)}</span><h2>${escapeHtml(need.needTitle)}</h2><a class="top" href="#contents">Contents ↑</a></div>
${description}${meta ? `<div class="meta">${meta}</div>` : ''}${fieldList(need.extra)}${gaps}
<h3 class="shortlist-title">Shortlist <span>${need.matches.length} startup${need.matches.length === 1 ? '' : 's'}</span></h3>
${cards}
</section>`;
}

/** Histogram of each need's best score, in tenths, as an inline SVG. */
export function bestScoreChart(results: readonly NeedResult[]): string {
  const bins = new Array<number>(10).fill(0);
  for (const need of results) {
    if (!need.matches.length) continue;
    bins[Math.min(9, Math.floor(need.matches[0].score * 10))]++;
  }
  const max = Math.max(1, ...bins);
  const [w, h, left, bottom, top] = [420, 200, 30, 28, 18];
  const slot = (w - left - 10) / bins.length;
  const plot = h - bottom - top;
  const bars = bins.map((n, i) => {
    const bh = (n / max) * plot;
    const x = left + i * slot + 3;
    const y = top + plot - bh;
    return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot - 6).toFixed(1)}" height="${bh.toFixed(1)}" rx="2" class="${i >= 5 ? 'high' : i >= 2 ? 'mid' : 'low'}"><title>${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: ${n} need${n === 1 ? '' : 's'}</title></rect>${n ? `<text x="${(x + (slot - 6) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" class="count">${n}</text>` : ''}`;
  });
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => `<text x="${(left + t * bins.length * slot).toFixed(1)}" y="${h - 10}" class="tick">${t.toFixed(1)}</text>`);
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Distribution of each need's best score"><line x1="${left}" y1="${top + plot}" x2="${w - 10}" y2="${top + plot}" class="axis"/>${bars.join('')}${ticks.join('')}</svg>`;
}

/** The startups in the most shortlists: count, then best rank, then id. */
export function frequentSolutions(results: readonly NeedResult[], limit = 10): { id: string; name: string; count: number; bestRank: number }[] {
  const seen = new Map<string, { id: string; name: string; count: number; bestRank: number }>();
  for (const need of results) {
    for (const m of need.matches) {
      const entry = seen.get(m.solutionId) ?? { id: m.solutionId, name: m.solutionName, count: 0, bestRank: Infinity };
      entry.count++;
      entry.bestRank = Math.min(entry.bestRank, m.rank);
      seen.set(m.solutionId, entry);
    }
  }
  return [...seen.values()].sort((a, b) => b.count - a.count || a.bestRank - b.bestRank || compareIds(a.id, b.id)).slice(0, limit);
}

function summarySection(results: readonly NeedResult[], context: ReportContext): string {
  const { counts, inputs } = context.summary;
  const best = results.filter((n) => n.matches.length).map((n) => n.matches[0].score).sort((a, b) => a - b);
  const median = best.length ? (best.length % 2 ? best[(best.length - 1) / 2] : (best[best.length / 2 - 1] + best[best.length / 2]) / 2) : null;
  const stats: [string, string][] = [
    ['Needs', String(counts.needs)],
    ['Startups', String(counts.solutions)],
    ['Pairs shortlisted', String(counts.pairs)],
    ['Median best score', median === null ? '–' : score2(median)],
  ];
  const total = SIGNALS.reduce((s, k) => s + context.weights[k], 0) || 1;
  const used = SIGNALS.filter((s) => context.weights[s] > 0);
  const weightBar = used.map((s) => `<span class="seg ${s}" style="width:${((context.weights[s] / total) * 100).toFixed(1)}%"></span>`).join('');
  const legend = used.map((s) => `<li style="--c:var(--${s})">${SIGNAL_LABELS[s]} <b>${percent(context.weights[s] / total)}</b></li>`).join('');
  const frequent = frequentSolutions(results);
  const frequentRows = frequent.map((f) => `<tr><td>${escapeHtml(f.name)} <span class="id">${escapeHtml(f.id)}</span></td><td class="num">${f.count}</td><td class="num">${f.bestRank}</td></tr>`).join('');
  const sources = inputs.map((i) => `<li><span class="k">${escapeHtml(i.role)}</span> ${escapeHtml(baseName(i.file))}${i.sheet ? ` (sheet ${escapeHtml(i.sheet)})` : ''} — ${i.rows} ${i.role === 'previous' ? 'pairs' : 'records'}</li>`).join('');
  return `<section class="summary" id="summary">
<h2>Summary</h2>
<div class="stats">${stats.map(([k, v]) => `<div class="stat"><span class="v">${escapeHtml(v)}</span><span class="k">${k}</span></div>`).join('')}</div>
<div class="grid">
<div class="panel"><h3>How startups are scored</h3><div class="weights">${weightBar}</div><ul class="legend">${legend}</ul>
<p class="note">Each pair's score (0–1) blends the similarity of the texts, the overlap of tags and the closeness of ATECO sectors, with these weights. A signal a pair has no data for is left out of its blend.</p>
<ul class="sources">${sources}</ul></div>
<div class="panel"><h3>Best score per need</h3><p class="note chart-note">How many needs have their best candidate in each score band.</p>${bestScoreChart(results)}${counts.needsWithoutMatch ? `<p class="note">${counts.needsWithoutMatch} need${counts.needsWithoutMatch === 1 ? ' has' : 's have'} no match above the minimum.</p>` : ''}</div>
<div class="panel"><h3>Startups in the most shortlists</h3>${frequent.length ? `<table class="frequent"><thead><tr><th>Startup</th><th class="num">Shortlists</th><th class="num">Best</th></tr></thead><tbody>${frequentRows}</tbody></table>` : '<p class="note">No shortlist has a startup.</p>'}</div>
</div>
</section>`;
}

function contents(results: readonly NeedResult[], names: readonly string[]): string {
  const items = results.map((need, i) => {
    const best = need.matches[0];
    return `<li><a href="#${names[i]}"><span class="need-id">${escapeHtml(need.needId)}</span><span class="t">${escapeHtml(need.needTitle)}</span><span class="b">${best ? `${escapeHtml(best.solutionName)} · ${score2(best.score)}` : 'no match'}</span></a></li>`;
  });
  return `<nav class="contents" id="contents"><h2>Contents</h2><ol>${items.join('')}</ol></nav>`;
}

const STYLE = `
:root{--ink:#1c2733;--muted:#5b6b7c;--line:#dfe5ec;--bg:#f5f7fa;--navy:#1f3a5f;--text:#2f6fdb;--tags:#12966b;--sector:#d08a16;--high:#12966b;--mid:#d08a16;--low:#8a99a8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
.page{max-width:1120px;margin:0 auto;padding:0 24px 48px}
.masthead{background:var(--navy);color:#fff;padding:28px 0 24px;margin-bottom:24px}
.masthead .page{padding-bottom:0}
.masthead h1{margin:0 0 4px;font-size:26px;font-weight:650;letter-spacing:-.01em}
.masthead p{margin:0;color:#c9d6e6}
h2{font-size:20px;margin:0 0 12px;letter-spacing:-.01em}
h3{font-size:15px;margin:0 0 8px}
.k{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.06em;font-weight:600;margin-right:6px}
.id{color:var(--muted);font-size:12px;font-family:ui-monospace,Menlo,Consolas,monospace}
.summary,.contents,.need{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin-bottom:20px}
.stats{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:16px}
.stat{border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.stat .v{display:block;font-size:26px;font-weight:650;color:var(--navy)}
.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}
.panel{border:1px solid var(--line);border-radius:8px;padding:14px}
.note{color:var(--muted);font-size:12px;margin:8px 0 0}
.weights{display:flex;height:12px;border-radius:6px;overflow:hidden}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:8px 0 0;padding:0;font-size:12px}
.legend li::before{content:"";display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:-1px;background:var(--c)}
.legend b{font-variant-numeric:tabular-nums}
.seg.text,.fill.text{background:var(--text)}.seg.tags,.fill.tags{background:var(--tags)}.seg.sector,.fill.sector{background:var(--sector)}
.sources{list-style:none;padding:0;margin:10px 0 0;font-size:12px;overflow-wrap:anywhere}
.chart{width:100%;height:auto;margin-top:6px}
.chart-note{margin:0}
.chart rect.high{fill:var(--high)}.chart rect.mid{fill:var(--mid)}.chart rect.low{fill:var(--low)}
.chart .axis{stroke:#c5cfda}.chart text{font-size:12px;fill:var(--muted);text-anchor:middle}.chart .count{fill:var(--ink);font-weight:600}
table.frequent{width:100%;border-collapse:collapse;font-size:13px}
.frequent th{text-align:left;color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.05em;border-bottom:1px solid var(--line);padding:4px 6px}
.frequent td{border-bottom:1px solid var(--line);padding:4px 6px}
.num{text-align:right}
.contents ol{list-style:none;margin:0;padding:0;columns:2;column-gap:24px}
.contents li{break-inside:avoid}
.contents a{display:grid;grid-template-columns:auto 1fr;column-gap:8px;padding:6px 4px;border-bottom:1px solid var(--line);color:inherit;text-decoration:none}
.contents a:hover .t{color:var(--text)}
.contents .b{grid-column:2;color:var(--muted);font-size:12px}
.need-id{display:inline-block;background:#e8eef6;color:var(--navy);font:600 12px ui-monospace,Menlo,Consolas,monospace;padding:2px 7px;border-radius:5px;align-self:start;margin-top:2px}
.need-head{display:flex;gap:10px;align-items:flex-start}
.need-head h2{flex:1;margin:0}
.need-head .top{font-size:12px;color:var(--muted);text-decoration:none;white-space:nowrap}
.description{margin:10px 0;color:#33414f}
.meta{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0}
.meta>div,.shared,.gaps{display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.chips{display:inline-flex;flex-wrap:wrap;gap:4px;list-style:none;margin:0;padding:0}
.chips li{background:#eef2f6;border-radius:999px;padding:1px 9px;font-size:12px}
.chips.sector li{background:#fbf1df}
.chips.gap li{background:#fdecec;color:#9b2c2c}
.gaps{margin:8px 0;padding:8px 10px;background:#fff8f8;border:1px dashed #f1c4c4;border-radius:8px}
.fields{display:flex;flex-wrap:wrap;gap:2px 16px;margin:8px 0 0;font-size:12px}
.fields div{display:flex;gap:6px}.fields dt{color:var(--muted)}.fields dd{margin:0;overflow-wrap:anywhere}
.fields a{color:var(--text)}
.shortlist-title{margin:16px 0 10px;font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.shortlist-title span{font-weight:400;text-transform:none;letter-spacing:0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:9px;padding:12px 14px;break-inside:avoid;page-break-inside:avoid;background:#fff}
.card header{display:flex;gap:10px;align-items:flex-start;margin-bottom:8px}
.card .rank{flex:none;width:26px;height:26px;border-radius:50%;background:var(--navy);color:#fff;font-weight:650;font-size:13px;display:flex;align-items:center;justify-content:center}
.card .who{flex:1;min-width:0}
.card h3{margin:0;font-size:15px;overflow-wrap:anywhere}
.card .score{flex:none;font-size:18px;font-weight:700;padding:1px 9px;border-radius:7px;color:#fff}
.score.high{background:var(--high)}.score.mid{background:var(--mid)}.score.low{background:var(--low)}
.change{font-size:11px;font-weight:600;padding:0 6px;border-radius:4px;background:#eef2f6}
.change.new{background:#e3f1ff;color:#1d5fb8}.change.up{color:var(--high)}.change.down{color:#b83a3a}
.signals{display:grid;gap:3px;margin-bottom:8px}
.signal{display:grid;grid-template-columns:52px 1fr 34px;gap:8px;align-items:center;font-size:12px}
.signal .label{color:var(--muted)}.signal .value{text-align:right;font-variant-numeric:tabular-nums}
.bar{height:8px;background:#edf1f5;border-radius:4px;overflow:hidden}
.bar .fill{display:block;height:100%;border-radius:4px}
.bar.none{background:repeating-linear-gradient(45deg,#edf1f5 0 4px,#f8fafc 4px 8px)}
.about{margin:6px 0;color:#33414f;font-size:13px}
.terms,.why{margin:6px 0 0;font-size:12px}
.why{color:#33414f;font-style:italic}
.shared{margin-top:6px}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media screen and (max-width:800px){.stats{grid-template-columns:repeat(2,1fr)}.grid{grid-template-columns:1fr}.contents ol{columns:1}}
@page{size:A4;margin:14mm 12mm}
@media print{
body{background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.grid{grid-template-columns:1fr 1fr}.grid .panel:last-child{grid-column:1/-1}
.summary,.contents{break-inside:avoid-page}
.page{max-width:none;padding:0}
.masthead{padding:0 0 10px;margin-bottom:12px;background:#fff;color:var(--ink);border-bottom:2px solid var(--navy)}
.masthead p{color:var(--muted)}
.summary,.contents,.need{border:none;padding:0;margin:0 0 12px;border-radius:0}
.need{break-before:page;page-break-before:always}
.need-head .top{display:none}
.contents a{padding:3px 2px}
.cards{grid-template-columns:1fr 1fr;gap:8px}
.card{padding:8px 10px}
a{color:inherit;text-decoration:none}
}`;

/** The whole report as one HTML document. */
export function renderHtml(results: readonly NeedResult[], context: ReportContext): string {
  const title = context.title ?? 'Startup shortlists';
  const names = anchors(results);
  const { counts, version } = context.summary;
  const sections = results.map((need, i) => needSection(need, names[i], context)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="match ${escapeHtml(version)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="masthead"><div class="page"><h1>${escapeHtml(title)}</h1><p>${counts.needs} innovation need${counts.needs === 1 ? '' : 's'} · ${counts.solutions} startup${counts.solutions === 1 ? '' : 's'} · up to ${context.summary.settings.top ?? '?'} candidates per need</p></div></header>
<main class="page">
${summarySection(results, context)}
${contents(results, names)}
${sections}
<footer>Generated by match ${escapeHtml(version)}. Scores run from 0 to 1 and are comparable across needs; ties are broken by startup id.</footer>
</main>
</body>
</html>
`;
}
