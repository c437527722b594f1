/**
 * A year of sample cases in the demo office, so that a newcomer's first report shows something: about 160 cases
 * over the past 12 months, at the counter and at the Center, each a chain of real signed acts (walk.ts) by the demo
 * specialist, head and Center specialist. Seeded: the same seed gives the same cases. Every sample case is labelled
 * (db/repositories/sample-cases.ts), marked on every screen that shows it, and kept out of sync: the demo office's
 * server may be a real one.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { openKeyFile, verifyStaffCertificate } from '../../../node/pki/keyfile';
import { registerRoles } from '../staff';
import { issueGatewayCertificate } from '../../../node/pki/machine-certs';
import { listPrecincts } from '../../../db/repositories/reference';
import { readWorkstation } from '../../../db/repositories/settings';
import { sampleCaseCount } from '../../../db/repositories/sample-cases';
import { AppError } from '../../../shared/errors';
import { officeDate } from '../../../shared/local-date';
import type { DemoKey } from '../../../shared/contract/types';
import type { ServicesContext, Session } from '../context';
import { createDemoOffice, demoPkiDir } from '../demo-office';
import { seededRandom } from './families';
import { walkSampleCase } from './walk';
import { STEPS, type CasePlan, type SampleActor, type SampleOffice, type Step } from './walker';
import { centerCodeOf } from '../center';

export const SAMPLE_SEED = 2026;
export const SAMPLE_CASES = 160;
/** The demo PKI is valid from this many days before today when the sample year is made (a year and a margin). */
export const SAMPLE_DAYS = 365;
export const SAMPLE_PKI_DAYS = SAMPLE_DAYS + 35;

export interface SampleYearOptions {
  seed?: number;
  cases?: number;
  /** Called after each case: how many of how many are made. */
  onProgress?: (done: number, total: number) => void;
}

function actor(ctx: ServicesContext, key: DemoKey): SampleActor {
  const opened = openKeyFile(readFileSync(key.path), key.password);
  const certified = verifyStaffCertificate(opened, ctx.trust(), ctx.realNow());
  // The person's roles as the office's staff register holds them (the demo office granted them: demo-staff.ts).
  const roles = registerRoles(ctx, certified.iin, certified.officeBin, ctx.realNow());
  const identity = { ...certified, roles, role: roles[0] ?? certified.role };
  const now = ctx.realNow().getTime();
  const session: Session = {
    token: `sample-${key.role}`,
    identity,
    startedAt: now,
    expiresAt: now,
    keyFile: Buffer.alloc(0),
    unlocked: null,
    keyId: `sample-${key.role}`,
    keySource: 'file',
    lastSeenAt: now,
    lockedAt: null,
    opened: new Map(),
  };
  return { session, signer: { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem } };
}

/** The plan of each case: its intake day, what becomes of it, which steps come late. Seeded. */
export function planSampleYear(seed: number, cases: number, today: string): CasePlan[] {
  const r = seededRandom(seed);
  const start = Date.parse(`${today}T00:00:00Z`) - SAMPLE_DAYS * 86_400_000;
  const days = Array.from({ length: cases }, () => new Date(start + r.int(0, SAMPLE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10)).sort();
  const open: Step[] = ['journal', 'referral', 'conclusion', 'draft'];
  return days.map((intakeDay, n) => {
    const late = new Set<Step>(STEPS.filter(() => r.chance(0.1)));
    return {
      n,
      intakeDay,
      channel: r.chance(0.25) ? 'center' : 'district',
      kind: r.chance(0.09) ? 'refused_to_accept' : 'decided',
      lowIncome: r.chance(0.7),
      // A few cases stalled on the way: they stay open, their deadlines overdue.
      stopAfter: r.chance(0.05) ? r.pick(open) : null,
      late,
    };
  });
}

/** Makes the sample year in the demo office (its keys given). Returns the sample cases' ids. */
export async function createSampleYear(ctx: ServicesContext, keys: readonly DemoKey[], pkiDir: string, opts: SampleYearOptions = {}): Promise<string[]> {
  const workstation = readWorkstation(ctx.db);
  if (!workstation) throw new AppError('workstation.not_configured');
  if (sampleCaseCount(ctx.db) > 0) throw new AppError('demo.already_exists');
  const seed = opts.seed ?? SAMPLE_SEED;
  const total = opts.cases ?? SAMPLE_CASES;
  const key = (role: DemoKey['role']) => keys.find((k) => k.role === role && k.office === workstation.officeCode)!;
  const now = ctx.realNow();
  const centerKey = keys.find((k) => k.role === 'center');
  const centerActor = actor(ctx, centerKey!);
  const centerCode = centerCodeOf(workstation, centerActor.session.identity.officeBin)!;
  const gateway = issueGatewayCertificate({ dir: pkiDir, name: 'Ақпараттық жүйелер шлюзі — үлгі (демо)', validFrom: new Date(now.getTime() - SAMPLE_PKI_DAYS * 86_400_000) });
  const png = await sharp({ create: { width: 827, height: 1169, channels: 3, background: '#f4f4f4' } })
    .composite([{ input: { create: { width: 600, height: 24, channels: 3, background: '#888' } }, top: 160, left: 110 }])
    .png()
    .toBuffer();
  // The sample acts change no screen while they are made: the screens read them once at the end.
  const quiet: ServicesContext = { ...ctx, push: () => {} };
  const office: SampleOffice = {
    ctx: quiet,
    seed,
    specialist: actor(ctx, key('specialist')),
    head: actor(ctx, key('head')),
    center: centerActor,
    centerCode,
    gateway: { privateKeyPem: gateway.keyPem, chainPem: [gateway.certPem, ...gateway.chainPem] },
    precincts: listPrecincts(ctx.db, workstation.officeCode).map((p) => p.code),
    officeCode: workstation.officeCode,
    workstationCode: workstation.workstationCode,
    actPage: { png, width: 827, height: 1169 },
    until: new Date(now.getTime() - 3600_000),
  };
  const today = officeDate(now);
  const plans = planSampleYear(seed, total, today);
  const ids: string[] = [];
  for (const plan of plans) {
    // Each case draws from its own stream: one case's acts do not shift the next one's.
    ids.push(await walkSampleCase(office, plan, seededRandom(seed * 1000 + plan.n)));
    opts.onProgress?.(ids.length, total);
  }
  return ids;
}

/** The demo office (demo-office.ts) with its PKI valid from before the sample year, then the sample year in it. */
export async function createDemoOfficeWithSampleYear(ctx: ServicesContext, opts: SampleYearOptions = {}): Promise<DemoKey[]> {
  const keys = await createDemoOffice(ctx, { validFrom: new Date(ctx.realNow().getTime() - SAMPLE_PKI_DAYS * 86_400_000) });
  await createSampleYear(ctx, keys, demoPkiDir(ctx), opts);
  return keys;
}
