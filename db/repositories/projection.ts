/**
 * The current-state tables as a projection of the log: the case row, its pages, documents, deadlines (with the
 * board's stage, responsible person, side and what the board shows of the case), its journal row and the IINs of
 * its family (case_members). Only db/commit.ts and db/rebuild.ts call the writers here (a test refuses an INSERT,
 * UPDATE or DELETE on these tables anywhere else).
 */
import type { CaseProjection, ProjectedCase, ProjectedDeadline, ProjectedDocument, ProjectedJournal, ProjectedPage } from '../../shared/events/projection';
import { canonicalJson } from '../../shared/text';
import { DEADLINE_SIDE } from '../../shared/domain/deadlines';
import type { Db } from '../connection';

/** The projection tables, in the order a rebuild empties them (children first). */
export const PROJECTION_TABLES = ['case_views', 'journal', 'case_documents', 'case_deadlines', 'case_pages', 'case_members', 'cases'] as const;
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

/** Each table's key and its row order for an ordered dump. */
export const PROJECTION_KEYS: Record<ProjectionTable, string> = {
  cases: 'id',
  case_pages: 'page_id',
  case_documents: 'case_id, event_seq',
  case_deadlines: 'case_id, started_seq, deadline',
  journal: 'journal_number',
  case_members: 'case_id, iin',
  case_views: 'case_id',
};

/** The stored view: the whole projection, its keys in one order, so a rebuild writes it byte for byte again. */
const viewRow = (p: CaseProjection) => ({ case_id: p.case.id, version: p.case.version, state: canonicalJson(p) });

const caseRow = (c: ProjectedCase) => ({
  id: c.id,
  case_number: c.caseNumber,
  channel: c.channel,
  stage: c.stage,
  rules_version: c.rulesVersion,
  applicant_iin: c.applicantIin,
  surname: c.surname,
  given_name: c.givenName,
  patronymic: c.patronymic,
  full_name_fold: c.fullNameFold,
  birth_date: c.birthDate,
  address: c.address,
  phone: c.phone,
  doc_language: c.docLanguage,
  office_code: c.officeCode,
  created_by_iin: c.createdByIin,
  created_at: c.createdAt,
  version: c.version,
  head_hash: c.headHash,
});

const pageRow = (caseId: string, p: ProjectedPage) => ({
  page_id: p.pageId,
  case_id: caseId,
  document_kind: p.documentKind,
  position: p.position,
  blob_sha256: p.blob,
  signature_sha256: p.signature,
  thumbnail_sha256: p.thumbnail,
  media_type: p.mediaType,
  width: p.width,
  height: p.height,
  dpi: p.dpi,
  quality: JSON.stringify(p.quality),
  source: p.source,
  event_seq: p.eventSeq,
  removed: p.removed ? 1 : 0,
});

const documentRow = (caseId: string, d: ProjectedDocument) => ({
  case_id: caseId,
  event_seq: d.eventSeq,
  event_type: d.eventType,
  form: d.form,
  blob_sha256: d.blob,
  signature_sha256: d.signature,
  verification_code: d.verificationCode,
  issued_at: d.issuedAt,
  signer_iin: d.signerIin,
});

/** What the deadlines board shows of a deadline's case, kept on each of its deadline rows (migration 22). */
type BoardFields = { case_number: string; journal_number: string | null; applicant_name: string; applicant_iin: string };
const boardFields = (p: CaseProjection): BoardFields => ({
  case_number: p.case.caseNumber,
  journal_number: p.journal?.journalNumber ?? null,
  applicant_name: `${p.case.surname} ${p.case.givenName}${p.case.patronymic === '' ? '' : ` ${p.case.patronymic}`}`,
  applicant_iin: p.case.applicantIin,
});
const NO_BOARD_FIELDS: BoardFields = { case_number: '', journal_number: null, applicant_name: '', applicant_iin: '' };

const deadlineRow = (caseId: string, d: ProjectedDeadline, board: BoardFields) => ({
  case_id: caseId,
  started_seq: d.startedSeq,
  deadline: d.id,
  started_on: d.startedOn,
  due: d.due,
  stopped_on: d.stoppedOn,
  met: d.met === null ? null : d.met ? 1 : 0,
  stage: d.stage,
  responsible_iin: d.responsibleIin,
  side: DEADLINE_SIDE[d.id],
  ...board,
});

const journalRow = (caseId: string, j: ProjectedJournal) => ({
  journal_number: j.journalNumber,
  case_id: caseId,
  office_code: j.officeCode,
  registered_on: j.registeredOn,
  applied_at: j.appliedAt,
  registered_by_iin: j.registeredByIin,
  responsible_iin: j.responsibleIin,
  channel: j.channel,
  applicant_iin: j.applicantIin,
  applicant_name: j.applicantName,
  address: j.address,
  children: j.children,
  documents: j.documents,
  per_capita_tiyn: j.perCapitaTiyn,
  decision: j.decision,
  decision_number: j.decisionNumber,
  decided_on: j.decidedOn,
  monthly_amount_tiyn: j.monthlyAmountTiyn,
  period_from: j.periodFrom,
  period_to: j.periodTo,
  notified_on: j.notifiedOn,
  note: j.note,
});

/** The family of the case's last recorded application, one row per IIN (the first member of an IIN given twice). */
const memberRows = (p: CaseProjection) => {
  const seen = new Set<string>();
  return (p.facts.application?.members ?? [])
    .filter((m) => !seen.has(m.iin) && seen.add(m.iin))
    .map((m) => ({ case_id: p.case.id, iin: m.iin, relation: m.relation, application_seq: p.facts.applicationSeq }));
};

/** INSERT … ON CONFLICT (key) DO UPDATE of every column: one statement per table. */
function upsert(db: Db, table: string, columns: string[], key: string[]) {
  const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`);
}

const writers = new WeakMap<Db, ReturnType<typeof prepareWriters>>();
function prepareWriters(db: Db) {
  const cols = <T extends object>(sample: T) => Object.keys(sample);
  const sampleCase = caseRow({} as ProjectedCase);
  return {
    case: upsert(db, 'cases', cols(sampleCase), ['id']),
    page: upsert(db, 'case_pages', cols(pageRow('', {} as ProjectedPage)), ['page_id']),
    document: upsert(db, 'case_documents', cols(documentRow('', {} as ProjectedDocument)), ['case_id', 'event_seq']),
    deadline: upsert(db, 'case_deadlines', cols(deadlineRow('', {} as ProjectedDeadline, NO_BOARD_FIELDS)), ['case_id', 'started_seq', 'deadline']),
    journal: upsert(db, 'journal', cols(journalRow('', {} as ProjectedJournal)), ['journal_number']),
    clearMembers: db.prepare('DELETE FROM case_members WHERE case_id = ?'),
    member: db.prepare('INSERT INTO case_members (case_id, iin, relation, application_seq) VALUES (@case_id, @iin, @relation, @application_seq)'),
    view: upsert(db, 'case_views', ['case_id', 'version', 'state'], ['case_id']),
  };
}
function w(db: Db) {
  let s = writers.get(db);
  if (!s) writers.set(db, (s = prepareWriters(db)));
  return s;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes what changed between two states of one case (before: null for a new case, or for a rebuild into empty
 * tables). Rows are never deleted: a removed page is marked removed, a stopped deadline is stopped. The one
 * exception is the family: a newer application replaces the case's members.
 */
export function writeProjection(db: Db, before: CaseProjection | null, after: CaseProjection): void {
  const s = w(db);
  const id = after.case.id;
  if (!before || !same(before.case, after.case)) s.case.run(caseRow(after.case));
  const pagesBefore = new Map(before?.pages.map((p) => [p.pageId, p]));
  for (const p of after.pages) if (!same(pagesBefore.get(p.pageId), p)) s.page.run(pageRow(id, p));
  for (const d of after.documents.slice(before?.documents.length ?? 0)) s.document.run(documentRow(id, d));
  const deadlinesBefore = new Map(before?.deadlines.map((d) => [`${d.startedSeq}|${d.id}`, d]));
  // A new number or name of the case is written to every one of its deadline rows.
  const board = boardFields(after);
  const boardChanged = !before || !same(boardFields(before), board);
  for (const d of after.deadlines) if (boardChanged || !same(deadlinesBefore.get(`${d.startedSeq}|${d.id}`), d)) s.deadline.run(deadlineRow(id, d, board));
  if (after.journal && !same(before?.journal, after.journal)) s.journal.run(journalRow(id, after.journal));
  if ((before?.facts.applicationSeq ?? 0) !== after.facts.applicationSeq) {
    s.clearMembers.run(id);
    for (const m of memberRows(after)) s.member.run(m);
  }
  s.view.run(viewRow(after));
}

/**
 * Inserts the whole projection of a case into empty tables (a rebuild): plain INSERTs with positional parameters,
 * the fastest way better-sqlite3 writes rows.
 */
export function insertProjection(db: Db): (p: CaseProjection) => void {
  const insert = <T extends object>(table: string, sample: T) => {
    const cols = Object.keys(sample);
    const st = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    return (row: T) => st.run(...(Object.values(row) as unknown[]));
  };
  const c = insert('cases', caseRow({} as ProjectedCase));
  const page = insert('case_pages', pageRow('', {} as ProjectedPage));
  const doc = insert('case_documents', documentRow('', {} as ProjectedDocument));
  const deadline = insert('case_deadlines', deadlineRow('', {} as ProjectedDeadline, NO_BOARD_FIELDS));
  const journal = insert('journal', journalRow('', {} as ProjectedJournal));
  const member = insert('case_members', { case_id: '', iin: '', relation: '', application_seq: 0 });
  const view = insert('case_views', { case_id: '', version: 0, state: '' });
  return (p) => {
    const id = p.case.id;
    c(caseRow(p.case));
    for (const x of p.pages) page(pageRow(id, x));
    for (const x of p.documents) doc(documentRow(id, x));
    const board = boardFields(p);
    for (const x of p.deadlines) deadline(deadlineRow(id, x, board));
    if (p.journal) journal(journalRow(id, p.journal));
    for (const m of memberRows(p)) member(m);
    view(viewRow(p));
  };
}

/** Empties the projection tables (a rebuild, inside its transaction): every row, or the rows of cases with a log. */
export function clearProjections(db: Db, scope: 'all' | 'logged'): void {
  for (const t of PROJECTION_TABLES) {
    const column = t === 'cases' ? 'id' : 'case_id';
    db.prepare(scope === 'all' ? `DELETE FROM ${t}` : `DELETE FROM ${t} WHERE ${column} IN (SELECT case_id FROM case_events)`).run();
  }
}

/** The rows the projection of one case should have, as the tables hold them (Verify case compares both ways). */
export function expectedRows(p: CaseProjection): Record<ProjectionTable, Record<string, unknown>[]> {
  const id = p.case.id;
  return {
    cases: [caseRow(p.case)],
    case_pages: p.pages.map((x) => pageRow(id, x)),
    case_documents: p.documents.map((x) => documentRow(id, x)),
    case_deadlines: p.deadlines.map((x) => deadlineRow(id, x, boardFields(p))),
    journal: p.journal ? [journalRow(id, p.journal)] : [],
    case_members: memberRows(p),
    case_views: [viewRow(p)],
  };
}

/** The rows the tables hold for one case. */
const readers = new WeakMap<Db, Map<ProjectionTable, ReturnType<Db['prepare']>>>();
export function storedRows(db: Db, caseId: string): Record<ProjectionTable, Record<string, unknown>[]> {
  const where = (t: ProjectionTable) => (t === 'cases' ? 'id = ?' : 'case_id = ?');
  let r = readers.get(db);
  if (!r) readers.set(db, (r = new Map(PROJECTION_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} WHERE ${where(t)} ORDER BY ${PROJECTION_KEYS[t]}`)]))));
  const st = r;
  return Object.fromEntries(PROJECTION_TABLES.map((t) => [t, st.get(t)!.all(caseId) as Record<string, unknown>[]])) as Record<ProjectionTable, Record<string, unknown>[]>;
}

/** Every projection table's rows in key order (a test's "ordered dump"). */
export function dumpProjections(db: Db): Record<ProjectionTable, unknown[]> {
  return Object.fromEntries(PROJECTION_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${PROJECTION_KEYS[t]}`).all()])) as Record<ProjectionTable, unknown[]>;
}

/**
 * Rewrites one case's projection rows from its state as the log's line says (after this workstation lost a place
 * in the line to another's act): its rows are deleted and inserted again, inside the caller's transaction.
 */
export function replaceProjection(db: Db, caseId: string, p: CaseProjection | null): void {
  // The log names its case row: checked at commit, once the row is back.
  db.pragma('defer_foreign_keys = ON');
  for (const t of PROJECTION_TABLES) db.prepare(`DELETE FROM ${t} WHERE ${t === 'cases' ? 'id' : 'case_id'} = ?`).run(caseId);
  if (p) insertProjection(db)(p);
}
