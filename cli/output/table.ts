/**
 * Tables for people: a header, aligned columns, no borders, and, on a terminal, no line wider than
 * the terminal (the columns marked `shrink` give up width first, cut with "…"). Piped output keeps
 * every value whole, so `loom job list | grep` still finds a full id.
 */

export type Column<Row> = {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
  /** May be cut to fit the width (ids, URIs); never below `minWidth` (default 10). */
  shrink?: boolean;
  minWidth?: number;
};

const GAP = '  ';

/** Display width: code points, not UTF-16 units ("…" and "×" are one column). */
const width = (s: string) => [...s].length;

function cut(s: string, w: number): string {
  if (width(s) <= w) return s;
  if (w <= 1) return '…'.slice(0, w);
  return `${[...s].slice(0, w - 1).join('')}…`;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/**
 * @example
 * process.stdout.write(renderTable(jobs, [{ header: 'ID', value: (j) => j.id, shrink: true }], { maxWidth: process.stdout.columns }));
 */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], o: { maxWidth?: number } = {}): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r).replace(/[\r\n\t]+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((row) => width(row[i]!))));
  if (o.maxWidth !== undefined && o.maxWidth > 0) {
    let total = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
    // Take one column at a time from the widest shrinkable one, so long values share the cut.
    while (total > o.maxWidth) {
      let widest = -1;
      for (const [i, c] of columns.entries()) {
        if (c.shrink && widths[i]! > Math.max(c.minWidth ?? 10, width(c.header)) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest]!--;
      total--;
    }
  }
  const line = (values: string[]) =>
    values
      .map((v, i) => pad(cut(v, widths[i]!), widths[i]!, columns[i]!.align ?? 'left'))
      .join(GAP)
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), ...cells.map(line)].join('\n')}\n`;
}

/** Label/value lines for one record ("status    OPEN"), labels padded to one width. */
export function renderFields(fields: readonly (readonly [label: string, value: string])[]): string {
  const w = Math.max(...fields.map(([l]) => width(l)));
  return `${fields.map(([l, v]) => `${pad(l, w, 'left')}  ${v}`.trimEnd()).join('\n')}\n`;
}
