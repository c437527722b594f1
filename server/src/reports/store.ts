/**
 * The city's figures per district, computed in PostgreSQL from the offices' signed logs and case states, with the
 * office in every grouping (each statement runs within one office's rows on Citus, distributed by office_code).
 * Aggregates only: no statement returns a person's data. The period is [fromAt, toAt) in event time (UTC ISO),
 * the caller's Almaty midnights.
 */
import type { Queryable } from '../store';

export interface CityOfficeFigures {
  office: string;
  received: number;
  refusedToAccept: number;
  returnedToCenter: number;
  referred: number;
  assigned: number;
  refused: number;
  open: number;
}

// A refusal to accept ends its case (item 11.1 stage 2: refused_to_accept is terminal), so counting those acts counts
// their cases; a decision's outcome is the column migration 9 derives from its payload.
const ACTS = `
  SELECT office_code,
    count(*) FILTER (WHERE type IN ('intake.registered', 'center.intake_registered')) AS received,
    count(*) FILTER (WHERE type = 'acceptance.refused') AS refused_to_accept,
    count(*) FILTER (WHERE type = 'center.returned_incomplete') AS returned_to_center,
    count(*) FILTER (WHERE type = 'commission.referred') AS referred,
    count(*) FILTER (WHERE decision_outcome = 'assign') AS assigned,
    count(*) FILTER (WHERE decision_outcome = 'refuse') AS refused
  FROM events
  WHERE at >= $1 AND at < $2 AND type IN ('intake.registered', 'center.intake_registered', 'acceptance.refused', 'center.returned_incomplete', 'commission.referred', 'decision.signed')
  GROUP BY office_code`;

const OPEN = `SELECT office_code, count(*) AS open FROM cases WHERE stage NOT IN ('refused_to_accept', 'closed') GROUP BY office_code`;

export async function cityFigures(q: Queryable, fromAt: string, toAt: string): Promise<CityOfficeFigures[]> {
  const acts = await q.query<Record<string, string | number>>(ACTS, [fromAt, toAt]);
  const open = new Map((await q.query<{ office_code: string; open: number | string }>(OPEN)).map((r) => [r.office_code, Number(r.open)]));
  const offices = new Set([...acts.map((r) => String(r.office_code)), ...open.keys()]);
  return [...offices].sort().map((office) => {
    const a = acts.find((r) => r.office_code === office) ?? {};
    const n = (k: string) => Number(a[k] ?? 0);
    return { office, received: n('received'), refusedToAccept: n('refused_to_accept'), returnedToCenter: n('returned_to_center'), referred: n('referred'), assigned: n('assigned'), refused: n('refused'), open: open.get(office) ?? 0 };
  });
}

export interface CityOffice {
  code: string;
  bin: string;
}

/** The city department (offices.kind = 'city'): whose administrator may read every district's figures. */
export async function cityOffice(q: Queryable): Promise<CityOffice | null> {
  const rows = await q.query<{ code: string; bin: string }>("SELECT code, bin FROM offices WHERE kind = 'city' ORDER BY code LIMIT 1");
  return rows[0] ?? null;
}

/** The district offices, with their names in kk and ru (every district is shown, one with no case among them). */
export async function districtOffices(q: Queryable): Promise<{ code: string; nameKk: string; nameRu: string }[]> {
  return q.query<{ code: string; nameKk: string; nameRu: string }>("SELECT code, name_kk AS \"nameKk\", name_ru AS \"nameRu\" FROM offices WHERE kind = 'district' ORDER BY code");
}

// Filtered inside each row's small arrays by a JSON path (no set-returning function per case).
const DEADLINES = `
  SELECT office_code,
    sum(jsonb_array_length(jsonb_path_query_array(deadlines_missed_on, '$[*] ? (@ >= $from && @ <= $to)', jsonb_build_object('from', $1::text, 'to', $2::text)))) AS missed,
    sum(jsonb_array_length(jsonb_path_query_array(deadlines_open_due, '$[*] ? (@ < $today)', jsonb_build_object('today', $3::text)))) AS overdue
  FROM cases WHERE deadlines_missed_on <> '[]' OR deadlines_open_due <> '[]'
  GROUP BY office_code`;

/**
 * The regulation's deadlines per office: stopped in [fromDay, toDay] after their due day (missed), and still open
 * past due on `today` (overdue now), from the days migration 7 derives from each case's projected state.
 */
export async function cityDeadlines(q: Queryable, fromDay: string, toDay: string, today: string): Promise<Map<string, { missed: number; overdue: number }>> {
  const rows = await q.query<{ office_code: string; missed: number | string; overdue: number | string }>(DEADLINES, [fromDay, toDay, today]);
  return new Map(rows.map((r) => [r.office_code, { missed: Number(r.missed), overdue: Number(r.overdue) }]));
}
