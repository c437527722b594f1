/**
 * The event catalogue's commit path and rebuild:
 * - the commit of one event (CMS sign with a real key, append, project, mark for sync, one fsynced transaction)
 *   against a raw INSERT of the same signed row (also fsynced) and against crypto.sign of its canonical bytes;
 * - the rebuild of every projection of 100,000 cases of ~30 events each, against a raw INSERT … SELECT of the same
 *   event rows (the floor: touching each event once in SQLite). The fixture carries one fixed placeholder
 *   signature per event (a rebuild never verifies signatures; Verify case does) and is cached under .bench-data.
 */
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createContext } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openDatabase } from '../db/open';
import { commitEvents, loadProjection } from '../db/commit';
import { rebuildProjections } from '../db/rebuild';
import { recordBlob } from '../db/repositories/blobs';
import { eventCanonical } from '../shared/events/event';
import type { EventType } from '../shared/events/catalogue';
import { signEvents } from '../node/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { registerSampleActor, SHA, samplePayload, sampleEvents } from '../tests/event-samples';
import { cachedBenchDatabase } from './generate';
import { signedInChromium } from './chromium-host';
import { percentile, report } from './stats';

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** A whole district case as its log reads: 29 events (intake to the delivered notification and a correction). */
const DISTRICT_CASE: EventType[] = [
  'intake.registered',
  'application.recorded',
  ...Array<EventType>(14).fill('page.captured'),
  'originals.returned',
  'is.requested',
  'is.all_confirmed',
  'form.issued',
  'journal.registered',
  'commission.referred',
  'page.captured',
  'commission.concluded',
  'decision.drafted',
  'decision.signed',
  'notification.issued',
  'notification.delivered',
  'decision.corrected',
];

export function benchCommit(keyFile: string) {
  const dir = path.resolve('.bench-data', 'commit');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openDatabase(path.join(dir, 'jardem.sqlite'));
  registerSampleActor(db);
  const raw = openDatabase(path.join(dir, 'raw.sqlite'));
  const opened = openKeyFile(readFileSync(keyFile), 'pw');
  const key = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
  const privateKey = createPrivateKey(opened.privateKeyPem);
  const actor = { iin: '900512400018', role: 'specialist', certSha256: SHA(3) };
  db.transaction(() => {
    for (let n = 0; n < 600; n++) recordBlob(db, SHA(n), 'application/octet-stream', 1, '2026-11-16T00:00:00Z');
  })();
  const cases = Array.from({ length: 200 }, (_, i) => `01930000-0000-7000-8000-${String(i).padStart(12, '0')}`);
  for (const [i, id] of cases.entries()) commitEvents(db, id, 0, sampleEvents(id, null, [{ type: 'intake.registered', payload: samplePayload('intake.registered', null, i + 1) }]));

  const insertRaw = raw.prepare(
    `INSERT INTO case_events (id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature)
     VALUES (@id, @caseId, @seq, @caseVersion, @type, @payload, @iin, @role, @certSha256, @at, @prevHash, @hash, @signature)`,
  );
  raw.pragma('foreign_keys = OFF');
  const commit: number[] = [];
  const rawInsert: number[] = [];
  const rsa: number[] = [];
  const N = 2000;
  for (let i = 0; i < N; i++) {
    const id = cases[i % cases.length]!;
    const p = loadProjection(db, id)!;
    const at = new Date().toISOString();
    let t = performance.now();
    const [e] = signEvents(id, { version: p.case.version, headHash: p.case.headHash }, [{ id: uuidv7(), type: 'page.captured', payload: samplePayload('page.captured', p, (i % 500) + 1), at }], actor, (c) => signDetached(c, key, new Date()));
    commitEvents(db, id, p.case.version, [e!]);
    commit.push(performance.now() - t);
    const canonical = Buffer.from(eventCanonical(e!), 'utf8');
    t = performance.now();
    cryptoSign('sha256', canonical, privateKey);
    rsa.push(performance.now() - t);
    t = performance.now();
    insertRaw.run({ ...e!, iin: actor.iin, role: actor.role, certSha256: actor.certSha256 });
    rawInsert.push(performance.now() - t);
  }
  report('events.commit_one.median', median(commit), 'ms', median(rawInsert), {
    baselineIs: 'a raw INSERT of the same signed row (WAL, synchronous=FULL, autocommit)',
    includes: 'CMS sign (real RSA-2048 key), hash, fold of the case log, catalogue checks, append, projection write, sync mark, one fsynced transaction',
    p95: percentile([...commit].sort((a, b) => a - b), 95),
    vsCryptoSign: Math.round((median(commit) / median(rsa)) * 100) / 100,
    cryptoSignMedianMs: Math.round(median(rsa) * 1000) / 1000,
  });
  db.close();
  raw.close();
}

/** 100,000 whole district cases as raw event rows, one fixed signature each (a rebuild never verifies). */
export function rebuildDatabase(n: number) {
  return cachedBenchDatabase(`rebuild-${n}`, (db) => {
    db.pragma('foreign_keys = OFF');
    db.transaction(() => {
      for (let k = 0; k < 600; k++) recordBlob(db, SHA(k), 'application/octet-stream', 1, '2026-11-16T00:00:00Z');
    })();
    const insert = db.prepare(
      `INSERT INTO case_events (id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature)
       VALUES (@id, @caseId, @seq, @caseVersion, @type, @payload, @iin, @role, @certSha256, @at, @prevHash, @hash, @signature)`,
    );
    const placeholder = Buffer.from('fixed-signature');
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const id = `01930000-0000-7000-8000-${String(i).padStart(12, '0')}`;
        let head = { version: 0, headHash: null as string | null };
        for (const [k, type] of DISTRICT_CASE.entries()) {
          const payload = samplePayload(type, null, ((i * 31 + k) % 590) + 1);
          if (type === 'intake.registered') payload.caseNumber = `AUE-W1-2026-${String(i + 1).padStart(6, '0')}`;
          if (type === 'journal.registered') payload.journalNumber = `AUE-W1-2026-J${String(i + 1).padStart(6, '0')}`;
          if (type === 'decision.signed') payload.decisionNumber = `AUE-W1-2026-D${String(i + 1).padStart(6, '0')}`;
          const role = type === 'decision.signed' || type === 'decision.corrected' || type === 'notification.issued' ? 'head' : 'specialist';
          const [e] = signEvents(id, head, [{ id: uuidv7(), type, payload, at: '2026-11-16T06:00:00.000Z' }], { iin: '900512400018', role, certSha256: SHA(3) }, () => placeholder);
          insert.run({ ...e!, iin: e!.actor.iin, role: e!.actor.role, certSha256: e!.actor.certSha256 });
          head = { version: e!.seq, headHash: e!.hash };
        }
      }
    });
    for (let i = 0; i < n; i += 2000) {
      batch(i, Math.min(n, i + 2000));
      if (i % 20_000 === 0) log(`[bench] rebuild fixture: ${i} of ${n} cases`);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  });
}

export function benchRebuild(n = Number(process.env.BENCH_REBUILD_CASES ?? 100_000)) {
  const { file, generatedMs } = rebuildDatabase(n);
  const tag = n >= 1000 ? `${n / 1000}k` : String(n);
  log(`[bench] rebuild, ${n} cases: ${generatedMs === null ? 'cached' : `generated in ${(generatedMs / 1000).toFixed(1)} s`}`);
  const db = openDatabase(file);
  const events = db.prepare('SELECT count(*) FROM case_events').pluck().get() as number;
  // The floor: every event row read and written once, by SQLite alone.
  let t = performance.now();
  db.exec('DROP TABLE IF EXISTS temp.copy; CREATE TEMP TABLE copy AS SELECT id, case_id, seq, type, payload FROM case_events; DROP TABLE temp.copy');
  const rawMs = performance.now() - t;
  t = performance.now();
  const result = rebuildProjections(db, { compare: false });
  const rebuildMs = performance.now() - t;
  report(`events.rebuild.events_per_s@${tag}`, events / (rebuildMs / 1000), 'events/s', events / (rawMs / 1000), {
    baselineIs: 'raw INSERT … SELECT of the same event rows into a temporary table',
    cases: result.cases,
    events,
    rebuildSeconds: Math.round(rebuildMs / 100) / 10,
    target: '≤ 60 s for 100k cases',
    fileMb: Math.round((db.prepare('SELECT page_count * page_size FROM pragma_page_count, pragma_page_size').pluck().get() as number) / 1048576),
  });
  db.close();
}

/**
 * Opening a case in the UI: from the click on a row of the case list to the case drawer painted with the case
 * (its number and applicant), in Debian Chromium through the browser host, against the first paint of the case
 * list itself (from the click on its tab to its first row) in the same run. The workstation holds 2,000 whole
 * district cases of 29 events each.
 */
export async function benchCaseOpen(pkiDir: string, keyFile: string) {
  if (!existsSync(path.resolve('dist/renderer/index.html')) || !existsSync('/usr/bin/chromium')) {
    log('[bench] case open skipped: needs the built renderer (npm run build) and /usr/bin/chromium');
    return;
  }
  const source = rebuildDatabase(2000);
  const dataDir = path.resolve('.bench-data', 'case-open');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  cpSync(source.file, path.join(dataDir, 'jardem.sqlite'));
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  // The fixture holds the log only: its projections are built from it once.
  rebuildProjections(ctx.db, { compare: false });
  ctx.db.close();
  const { page, close } = await signedInChromium(dataDir, keyFile);
  try {
    const casesTab = page.getByRole('tab', { name: /^(Дела|Істер|Cases)$/ });
    const journalTab = page.getByRole('tab', { name: /Журнал/ });
    const list: number[] = [];
    const drawer: number[] = [];
    for (let i = 0; i < 14; i++) {
      await journalTab.click();
      await page.getByTestId('journal').waitFor();
      let t = performance.now();
      await casesTab.click();
      const row = page.locator('.ant-table-row').nth(i % 10);
      await row.waitFor();
      if (i > 1) list.push(performance.now() - t);
      const number = (await row.locator('td').first().textContent())!.trim();
      t = performance.now();
      await row.click();
      await page.getByRole('dialog', { name: new RegExp(number) }).getByText('Сейітова Әйгерім').first().waitFor();
      if (i > 1) drawer.push(performance.now() - t);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    }
    report('ui.case_open_first_paint_chromium.median', median(drawer), 'ms', median(list), {
      baselineIs: 'first paint of the case list (click on its tab to its first row) in the same run',
      p95: percentile([...drawer].sort((a, b) => a - b), 95),
      events: 29,
      measures: 'click on a case row to the drawer painted with the case (Playwright, Debian Chromium); Verify case then runs once in the background',
    });
  } finally {
    await close();
  }
}
