import { describe, expect, it } from 'vitest';
import { type Column, renderFields, renderTable } from './table';

type Row = { id: string; status: string; budget: string };
const rows: Row[] = [
  { id: '0x1111111111111111111111111111111111111111111111111111111111111111', status: 'OPEN', budget: '0.5 ETH' },
  { id: '0x2222222222222222222222222222222222222222222222222222222222222222', status: 'CLOSED', budget: '250 tUSDC' },
];
const columns: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id, shrink: true },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'BUDGET', value: (r) => r.budget, align: 'right' },
];

describe('renderTable', () => {
  it('default: header, aligned columns, whole values without a width', () => {
    const lines = renderTable(rows, columns).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+BUDGET$/);
    expect(lines[1]).toContain(rows[0]!.id);
    // Right-aligned amounts end in the same column.
    expect(lines[1]!.length).toBe(lines[2]!.length);
    expect(lines[1]!.endsWith('  0.5 ETH')).toBe(true);
  });

  it('behavior: with a width, shrinkable columns are cut with an ellipsis and no line is wider', () => {
    const out = renderTable(rows, columns, { maxWidth: 50 });
    for (const line of out.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(50);
    expect(out).toContain('…');
    expect(out).toContain('CLOSED');
    expect(out).toContain('250 tUSDC');
  });

  it('behavior: columns that may not shrink stay whole even when the line cannot fit', () => {
    const out = renderTable(rows, columns, { maxWidth: 5 });
    expect(out).toContain('250 tUSDC');
    expect(out).toContain('0x1111111…');
  });

  it('behavior: an empty table is its header; newlines in values do not break rows', () => {
    expect(renderTable([], columns)).toBe('ID  STATUS  BUDGET\n');
    expect(renderTable([{ id: 'a\nb', status: 'x', budget: 'y' }], columns).split('\n')).toHaveLength(3);
  });

  it('renderFields', () => {
    expect(renderFields([['status', 'OPEN'], ['budget', '1 ETH']])).toBe('status  OPEN\nbudget  1 ETH\n');
  });
});
