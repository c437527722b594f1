/**
 * The event catalogue: every type of case event, its payload schema, who may emit it, and whether it is a step
 * of the regulation's workflow (a transition, from which stages to which: shared/domain/workflow.ts) or a record
 * within a stage. The workstation's commit path and the central server refuse an event the catalogue does not
 * allow, and both project it with the same pure function (projection.ts).
 */
import type { z } from 'zod';
import { CASE_RECORDS } from '../domain/acts';
import { transitionsOf, ALL_STAGES, CURRENT_RULES_VERSION, RESOLUTION_STEPS, TERMINAL_STAGES, type Stage } from '../domain/workflow';
import type { Role } from '../roles';
import { PAYLOADS, type EventType } from './payloads';

export type { EventType } from './payloads';

export interface CatalogueEntry {
  type: EventType;
  payload: z.ZodType;
  /** Who may emit it (for a transition: the roles of the workflow's transition, any rules version). */
  roles: readonly Role[];
  kind: 'transition' | 'record';
  /** For a transition: the stages it leaves (null: it opens the case) and enters. */
  from?: readonly (Stage | null)[];
  to?: readonly Stage[];
  /** For a record: the stages in which it may be made ('open': any stage but a closed one). */
  stages?: 'open' | readonly Stage[];
  /** Regulation item (transitions) or the act it records. */
  source: string;
}

/** Records and the stages in which they may be made; who may make them is shared/domain/acts.ts CASE_RECORDS. */
const RECORD_STAGES: Record<keyof typeof CASE_RECORDS, CatalogueEntry['stages']> = {
  'page.captured': 'open',
  'page.removed': 'open',
  'pages.reordered': 'open',
  'originals.returned': 'open',
  'form.issued': 'open',
  'application.recorded': 'open',
  'is.requested_again': ['is_check'],
  'is.requested_at_center': ['center_intake'],
  'notification.issued': ['decided'],
  // A signed decision is never edited; a correction may follow it at any later stage.
  'decision.corrected': ['decided', 'notification_at_center', 'closed'],
  // A conflict may be resolved whatever became of the case meanwhile (closed included): it changes no stage.
  'conflict.resolved': ALL_STAGES,
};

function buildCatalogue(): Readonly<Record<EventType, CatalogueEntry>> {
  const out = {} as Record<EventType, CatalogueEntry>;
  const transitions = transitionsOf(CURRENT_RULES_VERSION);
  for (const type of Object.keys(PAYLOADS) as EventType[]) {
    const steps = transitions.filter((t) => t.event === type);
    if (steps.length > 0) {
      out[type] = {
        type,
        payload: PAYLOADS[type],
        roles: [...new Set(steps.flatMap((t) => t.roles))],
        kind: 'transition',
        from: steps.map((t) => t.from),
        to: steps.map((t) => t.to),
        source: steps.map((t) => t.source).join('; '),
      };
      continue;
    }
    const roles = CASE_RECORDS[type as keyof typeof CASE_RECORDS];
    if (!roles) throw new Error(`event type ${type} is neither a workflow transition nor a record`);
    out[type] = { type, payload: PAYLOADS[type], roles, kind: 'record', stages: RECORD_STAGES[type as keyof typeof CASE_RECORDS], source: 'shared/domain/acts.ts' };
  }
  // Every workflow transition and every record names an entry here.
  for (const t of transitions) if (!out[t.event as EventType]) throw new Error(`workflow transition ${t.event} has no catalogue entry`);
  for (const r of Object.keys(CASE_RECORDS)) if (!out[r as EventType]) throw new Error(`record ${r} has no catalogue entry`);
  return out;
}

export const EVENT_CATALOGUE = buildCatalogue();

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}

/**
 * Who must act next on a case in this stage: the roles of the records made only in this stage (the head's
 * notification once decided, item 11.1 stage 7) and of the workflow's steps out of it. The case list shows them,
 * so that it reads as a work queue. None for a closed case.
 */
export function rolesActingIn(stage: Stage, channel: 'district' | 'center', rulesVersion = CURRENT_RULES_VERSION): Role[] {
  if (TERMINAL_STAGES.includes(stage)) return [];
  const records = (Object.values(EVENT_CATALOGUE) as CatalogueEntry[]).filter(
    (e) => e.kind === 'record' && Array.isArray(e.stages) && e.stages.includes(stage) && e.type !== 'decision.corrected' && e.type !== 'conflict.resolved',
  );
  const steps = transitionsOf(rulesVersion).filter((t) => t.from === stage && t.channels.includes(channel) && !RESOLUTION_STEPS.includes(t.event));
  return [...new Set([...records.flatMap((e) => e.roles), ...steps.flatMap((t) => t.roles)])];
}

/** A record may be made in this stage. */
export function recordAllowedIn(entry: CatalogueEntry, stage: Stage): boolean {
  if (entry.stages === 'open' || entry.stages === undefined) return !TERMINAL_STAGES.includes(stage);
  return entry.stages.includes(stage);
}
