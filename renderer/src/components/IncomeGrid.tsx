/**
 * The quarter's income as a grid: a row per family member and kind of income, a column per month of the
 * income quarter (the quarter before the application, benefit.md §1), a total per row, per member and for the
 * family. Typed with the keyboard only (Tab moves cell to cell, row by row) and pasted from a spreadsheet (a block of
 * tab-separated numbers fills the grid from the cell it is pasted in, new rows for the next members). The stored
 * lines stay as they were: one line per member, kind and month; a line outside the quarter is kept, and counted.
 */
import { Button, Select, Typography } from 'antd';
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTenge } from '../../../shared/forms/money';

export const INCOME_KINDS = ['wage', 'pension', 'benefit', 'business', 'personal_subsidiary_farm', 'alimony', 'other'] as const;
type Kind = (typeof INCOME_KINDS)[number];
export interface IncomeLine {
  memberId: string;
  kind: Kind;
  month: string;
  amountTiyn?: number;
  /** Tenge as typed (the form's unit); the services receive tiyn. */
  amountTenge?: number;
}
interface Row {
  memberId: string;
  kind: Kind;
}

/** A spreadsheet's number: "120 000,50", "120000.5", "120 000" (spaces, non-breaking spaces, a comma for the decimals). */
export function parseAmount(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f₸]/g, '').replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) / 100 : null;
}

const key = (r: Row) => `${r.memberId}/${r.kind}`;

function rowsOf(lines: readonly IncomeLine[], extra: readonly Row[]): Row[] {
  const rows = new Map<string, Row>();
  for (const l of [...lines, ...extra]) if (!rows.has(key(l))) rows.set(key(l), { memberId: l.memberId, kind: l.kind });
  return [...rows.values()];
}

const cellStyle = { border: '1px solid #e5e5e5', padding: 2 } as const;
const inputStyle = { width: '100%', border: 'none', outline: 'none', textAlign: 'right', padding: '4px 6px', font: 'inherit', background: 'transparent' } as const;

/** One amount: the text as typed while the cell has the focus (so "120 000,5" can be typed), the number after. */
function AmountCell(props: { label: string; value: number | undefined; onValue: (n: number | null) => void; onPasteBlock: (text: string) => boolean }) {
  const [text, setText] = useState<string | null>(null);
  return (
    <input
      aria-label={props.label}
      inputMode="decimal"
      style={inputStyle}
      value={text ?? (props.value === undefined ? '' : String(props.value).replace('.', ','))}
      onFocus={(e) => e.target.select()}
      onBlur={() => setText(null)}
      onChange={(e) => {
        const v = e.target.value;
        const n = parseAmount(v);
        setText(v);
        if (v.trim() === '' || n !== null) props.onValue(n);
      }}
      onPaste={(e) => {
        if (props.onPasteBlock(e.clipboardData.getData('text/plain'))) e.preventDefault();
      }}
    />
  );
}

export const IncomeGrid = memo(function IncomeGrid(props: {
  value?: IncomeLine[];
  onChange?: (lines: IncomeLine[]) => void;
  members: { id: string; name: string; relation: string }[];
  months: string[];
  from: string;
  to: string;
}) {
  const { t } = useTranslation();
  const lines = useMemo(() => props.value ?? [], [props.value]);
  // Rows the person added before typing an amount in them.
  const [added, setAdded] = useState<Row[]>([]);
  // Until there is income, each adult has a wage row to type into; a child's row is added when needed.
  const starting = useMemo<Row[]>(() => (lines.length === 0 && added.length === 0 ? props.members.filter((m) => m.relation !== 'child').map((m) => ({ memberId: m.id, kind: 'wage' as const })) : []), [lines.length, added.length, props.members]);
  const rows = rowsOf(lines, [...added, ...starting]).filter((r) => props.members.some((m) => m.id === r.memberId));
  const inQuarter = lines.filter((l) => props.months.includes(l.month));
  const outside = lines.length - inQuarter.length;
  const amount = (r: Row, month: string) => lines.find((l) => l.memberId === r.memberId && l.kind === r.kind && l.month === month)?.amountTenge;
  const sum = (pred: (l: IncomeLine) => boolean) => inQuarter.filter(pred).reduce((s, l) => s + (l.amountTenge ?? 0), 0);
  const name = (id: string) => props.members.find((m) => m.id === id)?.name || id;

  /** Sets cells; an empty cell removes its line. */
  const put = (cells: { row: Row; month: string; value: number | null }[], newRows: Row[] = []) => {
    let next = [...lines];
    for (const c of cells) {
      next = next.filter((l) => !(l.memberId === c.row.memberId && l.kind === c.row.kind && l.month === c.month));
      if (c.value !== null) next.push({ memberId: c.row.memberId, kind: c.row.kind, month: c.month, amountTenge: c.value, amountTiyn: Math.round(c.value * 100) });
    }
    if (newRows.length) setAdded((a) => [...a, ...newRows.filter((r) => !a.some((x) => key(x) === key(r)))]);
    props.onChange?.(next);
  };

  /** A block from a spreadsheet, from this cell rightwards and down; rows beyond the grid go to the next members. */
  const paste = (text: string, rowIndex: number, monthIndex: number) => {
    const block = text.replace(/\r/g, '').split('\n').filter((line, i, all) => line.trim() !== '' || i < all.length - 1).map((line) => line.split('\t'));
    if (block.length === 0 || (block.length === 1 && block[0]!.length === 1)) return false;
    const target = [...rows];
    const newRows: Row[] = [];
    const adults = props.members.filter((m) => m.relation !== 'child');
    for (let i = 0; target.length < rowIndex + block.length && i < props.members.length; i++) {
      const pool = [...adults, ...props.members.filter((m) => m.relation === 'child')];
      const m = pool.find((x) => !target.some((r) => r.memberId === x.id && r.kind === 'wage'));
      if (!m) break;
      const r = { memberId: m.id, kind: 'wage' as const };
      target.push(r);
      newRows.push(r);
    }
    const cells: { row: Row; month: string; value: number | null }[] = [];
    block.forEach((values, i) => {
      const row = target[rowIndex + i];
      if (!row) return;
      values.forEach((v, j) => {
        const month = props.months[monthIndex + j];
        if (month) cells.push({ row, month, value: parseAmount(v) });
      });
    });
    put(cells, newRows);
    return cells.length;
  };
  const [pasted, setPasted] = useState<number | null>(null);

  const [adding, setAdding] = useState<{ memberId?: string; kind: Kind }>({ kind: 'wage' });
  const monthLabel = (m: string) => `${m.slice(5, 7)}.${m.slice(0, 4)}`;

  return (
    <div data-testid="income-grid">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('income.grid.title', { from: props.from, to: props.to })}
      </Typography.Text>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13, marginTop: 4 }}>
        <thead>
          <tr>
            <th style={{ ...cellStyle, textAlign: 'left' }}>{t('income.grid.member')}</th>
            <th style={{ ...cellStyle, textAlign: 'left' }}>{t('income.grid.kind')}</th>
            {props.months.map((m) => (
              <th key={m} style={{ ...cellStyle, width: 110 }}>
                {monthLabel(m)}
              </th>
            ))}
            <th style={{ ...cellStyle, width: 110 }}>{t('income.grid.total')}</th>
            <th style={{ ...cellStyle, width: 30 }} />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, ri) => (
            <tr key={key(r)} data-testid={`income-row-${ri}`}>
              <td style={cellStyle}>{name(r.memberId)}</td>
              <td style={cellStyle}>{t(`income.${r.kind}`)}</td>
              {props.months.map((m, mi) => (
                <td key={m} style={cellStyle}>
                  <AmountCell
                    label={`${name(r.memberId)}, ${t(`income.${r.kind}`)}, ${monthLabel(m)}`}
                    value={amount(r, m)}
                    onValue={(n) => put([{ row: r, month: m, value: n }])}
                    onPasteBlock={(text) => {
                      const n = paste(text, ri, mi);
                      if (n) setPasted(n);
                      return Boolean(n);
                    }}
                  />
                </td>
              ))}
              <td style={{ ...cellStyle, textAlign: 'right', padding: '4px 6px' }} data-testid="row-total">
                {formatTenge(Math.round(sum((l) => l.memberId === r.memberId && l.kind === r.kind) * 100))}
              </td>
              <td style={{ ...cellStyle, textAlign: 'center' }}>
                <Button
                  size="small"
                  type="text"
                  danger
                  tabIndex={-1}
                  aria-label={t('income.grid.removeRow')}
                  onClick={() => {
                    setAdded((a) => a.filter((x) => key(x) !== key(r)));
                    props.onChange?.(lines.filter((l) => !(l.memberId === r.memberId && l.kind === r.kind && props.months.includes(l.month))));
                  }}
                >
                  ×
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {props.members
            .filter((m) => inQuarter.some((l) => l.memberId === m.id))
            .map((m) => (
              <tr key={m.id} data-testid="member-total">
                <td style={cellStyle} colSpan={2}>
                  {t('income.grid.memberTotal')}: {m.name}
                </td>
                {props.months.map((month) => (
                  <td key={month} style={{ ...cellStyle, textAlign: 'right', padding: '4px 6px' }}>
                    {formatTenge(Math.round(sum((l) => l.memberId === m.id && l.month === month) * 100))}
                  </td>
                ))}
                <td style={{ ...cellStyle, textAlign: 'right', padding: '4px 6px', fontWeight: 600 }}>{formatTenge(Math.round(sum((l) => l.memberId === m.id) * 100))}</td>
                <td style={cellStyle} />
              </tr>
            ))}
          <tr data-testid="family-total">
            <td style={{ ...cellStyle, fontWeight: 600 }} colSpan={2}>
              {t('income.grid.familyTotal')}
            </td>
            {props.months.map((month) => (
              <td key={month} style={{ ...cellStyle, textAlign: 'right', padding: '4px 6px' }}>
                {formatTenge(Math.round(sum((l) => l.month === month) * 100))}
              </td>
            ))}
            <td style={{ ...cellStyle, textAlign: 'right', padding: '4px 6px', fontWeight: 600 }} data-testid="family-total-amount">
              {formatTenge(Math.round(sum(() => true) * 100))}
            </td>
            <td style={cellStyle} />
          </tr>
        </tfoot>
      </table>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 6, flexWrap: 'wrap' }}>
        <Select
          aria-label={t('income.grid.member')}
          placeholder={t('income.grid.member')}
          style={{ width: 220 }}
          size="small"
          value={adding.memberId}
          onChange={(memberId: string) => setAdding({ ...adding, memberId })}
          options={props.members.map((m) => ({ value: m.id, label: m.name || m.id }))}
        />
        <Select aria-label={t('income.grid.kind')} style={{ width: 220 }} size="small" value={adding.kind} onChange={(kind: Kind) => setAdding({ ...adding, kind })} options={INCOME_KINDS.map((k) => ({ value: k, label: t(`income.${k}`) }))} />
        <Button
          size="small"
          disabled={!adding.memberId}
          onClick={() => {
            if (!adding.memberId) return;
            const r = { memberId: adding.memberId, kind: adding.kind };
            setAdded((a) => [...starting, ...a, ...(a.some((x) => key(x) === key(r)) ? [] : [r])]);
          }}
        >
          {t('income.grid.addRow')}
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('income.grid.hint')}
        </Typography.Text>
      </div>
      {pasted !== null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="income-pasted">
          {t('income.grid.pasted', { count: pasted })}
        </Typography.Text>
      )}
      {outside > 0 && (
        <Typography.Text type="warning" style={{ fontSize: 12, display: 'block' }}>
          {t('income.grid.outside', { count: outside })}
        </Typography.Text>
      )}
    </div>
  );
});
