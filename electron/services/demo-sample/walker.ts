/**
 * One sample case being made: its state, its legal clock, and the acts made on it. Each act is planned by the
 * workflow (its guards, the deadlines it starts on the calendar), signed with the demo person's key at the act's
 * own time, and committed through the one commit path (case-acts.ts → db/commit.ts). The legal clock of each act
 * is the sample day's, as the demo's time travel sets it; the demo PKI was made valid from before the sample year,
 * so every signature verifies at its signing time.
 */
import { v7 as uuidv7 } from 'uuid';
import { formatNumber, sequenceScope } from '../../../shared/numbers';
import type { Session } from '../context';
import type { ServicesContext } from '../context';
import { signDetached, type Signer } from '../../../node/pki/cms';
import { nextInSequence } from '../../../db/repositories/settings';
import { markSampleCase } from '../../../db/repositories/sample-cases';
import { commitActs, type Act, type CaseProjection } from '../case-acts';
import type { Random } from './families';
import { recordBlobs, sampleCode, sampleForm, type StoredBlob } from './papers';
import { SampleClock } from './clock';

export interface SampleActor {
  session: Session;
  signer: Signer;
}

export interface SampleOffice {
  ctx: ServicesContext;
  seed: number;
  specialist: SampleActor;
  head: SampleActor;
  center: SampleActor;
  centerCode: string;
  gateway: Signer;
  precincts: readonly string[];
  officeCode: string;
  workstationCode: string;
  /** The scanned commission act's picture (the same placeholder page for every case). */
  actPage: { png: Buffer; width: number; height: number };
  /** No act after this moment: the cases whose steps would come later are still open. */
  until: Date;
}

export const STEPS = ['intake', 'application', 'checks', 'answer', 'request', 'package', 'journal', 'referral', 'conclusion', 'draft', 'decision', 'notification', 'delivered', 'handed_over'] as const;
export type Step = (typeof STEPS)[number];

/** What becomes of a sample case. */
export interface CasePlan {
  n: number;
  intakeDay: string;
  /** At the district's counter or at the Center (ЦОН), whose package comes by the electronic request. */
  channel: 'district' | 'center';
  /** Refused to accept (the originals not brought within 3 working days), or taken to a decision. */
  kind: 'decided' | 'refused_to_accept';
  /** The family's income: below the threshold (assigned) or not (refused, with its ground). */
  lowIncome: boolean;
  /** The last step made, for a case left open on purpose (null: as far as the clock allows). */
  stopAfter: Step | null;
  /** Steps taken later than the regulation allows (their deadline missed). */
  late: ReadonlySet<Step>;
}

/** Working days after the step before, on time and late (limits: shared/domain/deadlines.ts, items 10 and 11). */
const DELAYS: Partial<Record<Step, { onTime: [number, number]; late: [number, number] }>> = {
  request: { onTime: [0, 2], late: [4, 5] },
  package: { onTime: [0, 2], late: [3, 4] },
  journal: { onTime: [0, 1], late: [0, 1] },
  referral: { onTime: [0, 2], late: [3, 4] },
  conclusion: { onTime: [1, 3], late: [4, 6] },
  draft: { onTime: [0, 1], late: [0, 1] },
  decision: { onTime: [0, 1], late: [3, 5] },
  delivered: { onTime: [1, 4], late: [6, 8] },
  handed_over: { onTime: [1, 3], late: [1, 3] },
};

export class SampleCase {
  readonly clock: SampleClock;
  readonly id: string;
  p: CaseProjection | null = null;
  caseNumber = '';
  applicantName = '';
  applicantIin = '';

  constructor(
    readonly office: SampleOffice,
    readonly plan: CasePlan,
    readonly r: Random,
  ) {
    this.clock = new SampleClock(office.ctx.calendar(), plan.intakeDay, r);
    this.id = uuidv7({ msecs: this.clock.at().getTime() });
  }

  /** Whether the plan goes as far as this step. */
  goesTo(s: Step): boolean {
    return this.plan.stopAfter === null || STEPS.indexOf(s) <= STEPS.indexOf(this.plan.stopAfter);
  }

  /** The time between the step before and this one, on the clock. */
  wait(s: Step): void {
    const d = DELAYS[s];
    if (d) this.clock.workingDays(this.r.int(...(this.plan.late.has(s) ? d.late : d.onTime)));
    else this.clock.minutes(this.r.int(4, 25));
  }

  /** Whether an act may still be made (before `until`), and the plan goes that far. */
  may(s: Step): boolean {
    return this.goesTo(s) && this.clock.at() <= this.office.until;
  }

  /** Acts made together by `who` at the clock's time; false (nothing made) past `until`. */
  act(who: SampleActor, acts: Act[], blobs: StoredBlob[] = []): boolean {
    const at = this.clock.at();
    if (at > this.office.until) return false;
    const { ctx, seed } = this.office;
    const first = this.p === null;
    const sign = (content: Buffer, options?: Parameters<typeof signDetached>[3]) => signDetached(content, who.signer, at, options);
    this.p = commitActs(ctx, who.session, this.id, this.p, acts, sign, {
      now: at,
      before: () => {
        recordBlobs(ctx.db, blobs, at.toISOString());
        if (first) markSampleCase(ctx.db, this.id, seed, at.toISOString());
      },
    });
    return true;
  }

  /** The office's next number of that kind, in the year of the clock (the real sequences: later cases go on from them). */
  number(kind: 'case' | 'journal' | 'decision'): string {
    const { ctx, officeCode, workstationCode } = this.office;
    const year = this.clock.day().slice(0, 4);
    return formatNumber(kind, officeCode, workstationCode, year, nextInSequence(ctx.db, sequenceScope(kind, officeCode, workstationCode, year)));
  }

  /** A printed form signed by `who` now: the fields its event carries and the blobs to record with it. */
  async form(name: Parameters<typeof sampleForm>[1], who: SampleActor, details: string[]) {
    const lines = { caseNumber: this.caseNumber, applicant: `${this.applicantName}, ЖСН/ИИН ${this.applicantIin}`, date: this.clock.day(), details };
    const { pdf, p7s } = await sampleForm(this.office.ctx.dataDir, name, lines, who.signer, this.clock.at());
    return { fields: { form: name, blob: pdf.sha, signature: p7s.sha, verificationCode: sampleCode(this.r.next) }, blobs: [pdf, p7s] };
  }
}
