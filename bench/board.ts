/**
 * The deadlines board over 100,000 open cases:
 * - the services' board.list (first page of 100 and every count: per state, stage and person) in this process,
 *   p50 and p95, against a raw indexed SELECT of the first 100 open deadlines by due date (target ≤ 5× it);
 *   also "my work today" of a specialist and of a head (with their counts), and a page deep in the list (its
 *   rows only: the counts come with the first page);
 * - the counts from the projection of migration 0007 against the same counts joined from cases and journal;
 * - first render of the board tab in Chromium through the browser host (target ≤ 500 ms, virtualised list),
 *   against the same board.list call through the host without any rendering. Skipped without the built
 *   renderer or /usr/bin/chromium.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { boardServices } from '../electron/services/board';
import { createContext, type Session } from '../electron/services/context';
import { benchKey } from './bench-pki';
import { setUpWorkstation } from '../electron/services/workstation';
import { BOARD_STAFF, BOARD_TODAY, boardDatabase } from './board-data';
import { signedInChromium } from './chromium-host';
import { percentile, report, timeEachAsync, timePaired } from './stats';

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const RAW = 'SELECT case_id, deadline, started_on, due FROM case_deadlines WHERE stopped_on IS NULL ORDER BY due LIMIT 100';

function benchQuery(dataDir: string, file: string, tag: string) {
  const ctx = createContext({ dataDir, appVersion: 'bench', now: () => new Date(`${BOARD_TODAY}T06:00:00Z`) });
  const board = boardServices(ctx);
  // The board reads only the signed-in person's role and IIN.
  const as = (role: Session['identity']['role'], iin: string) => ({ identity: { role, iin } }) as Session;
  const specialist = as('specialist', BOARD_STAFF[1]!);
  const raw = new Database(file, { readonly: true });
  const rawPage = raw.prepare(RAW);
  const inputs = Array.from({ length: 200 }, (_, i) => i);
  // A page deep in the board: the 100 rows after the 100,000th open deadline, as scrolling there asks (keyset, no OFFSET).
  const at = raw.prepare('SELECT due, rowid AS row FROM case_deadlines WHERE stopped_on IS NULL ORDER BY due, rowid LIMIT 1 OFFSET 99999').get() as { due: string; row: number };
  const after = Buffer.from(JSON.stringify(at)).toString('base64url');
  const cases = [
    { name: 'first_page_and_counts', run: () => board.list(specialist, { mine: false, limit: 100 }) },
    { name: 'mine.specialist', run: () => board.list(specialist, { mine: true, limit: 100 }) },
    { name: 'mine.head', run: () => board.list(as('head', '780304300003'), { mine: true, limit: 100 }) },
    { name: 'page_after_100000', run: () => board.list(specialist, { mine: false, after, limit: 100 }) },
  ];
  const total = cases[0]!.run().counts!.byState.total;
  for (const c of cases) {
    const pair = timePaired(inputs, () => rawPage.all(), c.run, 20);
    for (const p of [50, 95]) {
      report(`board.list.${c.name}.p${p}@${tag}`, percentile(pair.b, p), 'ms', percentile(pair.a, p), {
        baselineIs: 'raw better-sqlite3: first 100 open deadlines by the partial index on due',
        openDeadlines: total,
        target: '≤ 5×',
      });
    }
  }

  // What migration 0007's projection saves: the same counts joined per deadline from cases and journal.
  const joined = raw.prepare(`SELECT c.stage, coalesce(j.responsible_iin, j.registered_by_iin, c.created_by_iin) AS who, d.due, count(*) AS n
    FROM case_deadlines d JOIN cases c ON c.id = d.case_id LEFT JOIN journal j ON j.case_id = d.case_id
    WHERE d.stopped_on IS NULL GROUP BY 1, 2, 3`);
  const projected = raw.prepare(`SELECT stage, responsible_iin, due, count(*) AS n FROM case_deadlines INDEXED BY case_deadlines_open_counts
    WHERE stopped_on IS NULL GROUP BY 1, 2, 3`);
  const times = { joined: [] as number[], projected: [] as number[] };
  for (let i = 0; i < 6; i++) {
    for (const [k, s] of [['joined', joined], ['projected', projected]] as const) {
      const t = performance.now();
      s.all();
      if (i > 0) times[k].push(performance.now() - t);
    }
  }
  report(`board.counts.projection.median@${tag}`, median(times.projected), 'ms', median(times.joined), { baselineIs: 'the same counts joined from cases and journal per open deadline (no migration 0007)' });
  raw.close();
  ctx.db.close();
}

/**
 * The benches' signing key (its person is the board's second specialist) over the board's data folder: the
 * benches' PKI, whose staff register gives them the role (sign-in refuses anyone the register does not name).
 */
function workstationKey(dataDir: string): string {
  const { pkiDir, key } = benchKey();
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  ctx.db.close();
  return key;
}

async function benchRender(dataDir: string, tag: string) {
  if (!existsSync(path.resolve('dist/renderer/index.html')) || !existsSync('/usr/bin/chromium')) {
    log('[bench] board first render skipped: needs the built renderer (npm run build) and /usr/bin/chromium');
    return;
  }
  const key = workstationKey(dataDir);
  const { url, page, close } = await signedInChromium(dataDir, key);
  try {
    const boardTab = page.getByRole('tab', { name: /Контроль сроков|Мерзімдерді бақылау|Deadlines board/ });
    const casesTab = page.getByRole('tab', { name: /^(Дела|Істер|Cases)$/ });
    const renders: number[] = [];
    for (let i = 0; i < 12; i++) {
      // The tabs unmount when hidden: each visit renders the board from nothing, with its board.list call.
      await casesTab.click();
      await page.getByTestId('case-total').waitFor();
      const t = performance.now();
      await boardTab.click();
      await page.getByTestId('board-row').first().waitFor();
      await page.getByTestId('board-stage-registered').waitFor();
      if (i > 1) renders.push(performance.now() - t);
    }
    // The same call through the host, from this process: what is left is rendering.
    const origin = new URL(url).origin;
    const secret = new URL(url).hash.replace('#secret=', '');
    const token = await page.evaluate(() => sessionStorage.getItem('jardem.session'));
    const rpc = () =>
      fetch(`${origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': secret }, body: JSON.stringify({ method: 'board.list', input: { mine: false, limit: 200 }, session: token }) }).then((r) => r.json());
    const calls = await timeEachAsync(Array.from({ length: 30 }, (_, i) => i), rpc, 3);
    report(`board.first_render_chromium.median@${tag}`, median(renders), 'ms', median(calls), {
      baselineIs: 'the same board.list call (200 rows and counts) through the browser host, no rendering',
      p95: percentile([...renders].sort((a, b) => a - b), 95),
      target: '≤ 500 ms',
      measures: 'click on the tab to the first row and the stage counts on screen (Playwright, Debian Chromium)',
    });
  } finally {
    await close();
  }
}

export async function benchBoard(n = 100_000) {
  const { dataDir, file, generatedMs } = boardDatabase(n);
  const tag = `${n / 1000}k`;
  log(`[bench] board, ${n} open cases: ${generatedMs === null ? 'cached' : `generated in ${(generatedMs / 1000).toFixed(1)} s`} (${dataDir})`);
  benchQuery(dataDir, file, tag);
  await benchRender(dataDir, tag);
}
