/**
 * What the header and the first screen show about this workstation: its office and codes, the schema, the demo's
 * keys, the number of cases, the demo clock, and what the services changed on start (the data folder's modes).
 */
import { sampleCaseCount } from '../../db/repositories/sample-cases';
import type { OfficeStatus } from '../../shared/contract/types';
import { officeDate } from '../../shared/local-date';
import { countCases } from '../../db/repositories/cases';
import { readWorkstation } from '../../db/repositories/settings';
import { schemaVersion } from '../../db/open';
import type { ServicesContext } from './context';
import { readDemoKeys } from './demo-office';

/** The demo's time travel: only in the demo office, or where the tests ask for it (JARDEM_TIME_TRAVEL=1). */
export const demoTimeTravelAllowed = (ctx: ServicesContext) => readDemoKeys(ctx) !== null || process.env.JARDEM_TIME_TRAVEL === '1';

function notices(ctx: ServicesContext): OfficeStatus['notices'] {
  const f = ctx.dataFolder;
  return f.tightenedCount > 0 ? [{ key: 'notice.data_folder_tightened', params: { count: f.tightenedCount, dir: ctx.dataDir, examples: f.tightened.join(', ') } }] : [];
}

export function officeStatus(ctx: ServicesContext): OfficeStatus {
  const keys = readDemoKeys(ctx);
  return {
    appVersion: ctx.appVersion,
    schemaVersion: schemaVersion(ctx.db),
    workstation: readWorkstation(ctx.db),
    demo: keys ? { keys } : null,
    totalCases: countCases(ctx.db),
    sampleCases: sampleCaseCount(ctx.db),
    clock: {
      offsetDays: Math.round((ctx.now().getTime() - ctx.realNow().getTime()) / 86_400_000),
      today: officeDate(ctx.now()),
      timeTravelAllowed: demoTimeTravelAllowed(ctx),
    },
    notices: notices(ctx),
    idleMinutes: ctx.limits.idleMinutes,
  };
}
