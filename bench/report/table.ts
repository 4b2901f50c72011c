import type { Row } from './targets';

const HEADER: Row = { figure: 'Figure', measured: 'Measured', target: 'Target', verdict: 'info' };

/** A plain-text table for the terminal; MISS is shouted so it is not read past. */
export function renderTable(rows: readonly Row[]): string {
  const verdictText = (row: Row): string => (row === HEADER ? 'Result' : row.verdict === 'info' ? '' : row.verdict === 'MISS' ? '** MISS **' : 'PASS');
  const all = [HEADER, ...rows];
  const width = (pick: (row: Row) => string): number => Math.max(...all.map((row) => pick(row).length));
  const widths = [width((r) => r.figure), width((r) => r.measured), width((r) => r.target)];
  const line = (row: Row): string =>
    [row.figure.padEnd(widths[0]!), row.measured.padEnd(widths[1]!), row.target.padEnd(widths[2]!), verdictText(row)].join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-') + '-+-' + '-'.repeat(10);
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}

/** The same rows as a Markdown table, for the README. */
export function renderMarkdown(rows: readonly Row[]): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| Figure | Measured | Target | Result |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${escape(row.figure)} | ${escape(row.measured)} | ${escape(row.target)} | ${row.verdict === 'info' ? '' : row.verdict} |`),
  ].join('\n');
}
