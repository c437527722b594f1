/** What crosses offices: the Center channel, sync and its conflicts, and the reference data. */
import * as s from '../schemas';
import * as o from '../schemas-office';
import type { IssuedForm, Precinct, ThresholdRow, SyncStatusView, SyncRoundView, SyncProblems, ConflictView, CenterPackageView, CenterQueue } from '../types';
import { method, STAFF } from '../method-def';

export const networkMethods = {
  'reference.precincts': method<Precinct[]>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The precinct commissions of the office (reference data)',
  }),
  'reference.thresholds': method<ThresholdRow[]>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The food-basket thresholds of the office’s region, newest first, with their source',
  }),
  'reference.setThreshold': method<ThresholdRow>()({
    input: o.setThresholdInput,
    access: ['admin'],
    summary: 'Enter the official food-basket threshold of a quarter, with its source',
  }),
  'reference.setPrecinct': method<Precinct>()({
    input: o.setPrecinctInput,
    access: ['admin'],
    summary: 'Set a precinct commission (the city department’s administrator: a signed reference act for the city)',
  }),
  'reference.publishOffices': method<{ offices: number }>()({
    input: o.publishOfficesInput,
    access: ['admin'],
    summary: 'Publish the offices of the city (the city department’s administrator: a signed reference act)',
  }),
  'reference.addTrustRoot': method<{ sha256: string; subject: string; intermediates: number }>()({
    input: o.addTrustRootInput,
    access: ['admin'],
    summary: 'Trust a root CA in the whole city (the city department’s administrator, its fingerprint confirmed: a signed reference act)',
  }),
  'center.sendRequest': method<{ stage: string; items: number; due: string | null }>()({
    input: s.centerSendInput,
    access: ['center'],
    summary: 'Send (or, after a return, re-send) the electronic request to the district, certified with the Center specialist’s ECP',
  }),
  'center.inspect': method<CenterPackageView>()({
    input: s.caseIdInput,
    access: ['specialist', 'head', 'center'],
    summary: 'The Center’s request as received: its act and signature, every page and its signature, the item 13 checklist',
  }),
  'center.returnIncomplete': method<IssuedForm>()({
    input: s.centerReturnInput,
    access: ['specialist'],
    summary: 'Return an incomplete Center package with the missing-document notice (Appendix 4 to the Rules), signed',
  }),
  'center.acceptPackage': method<{ stage: string }>()({
    input: s.centerAcceptInput,
    access: ['specialist'],
    summary: 'Accept a complete Center package (every page and signature checked) for registration in the journal',
  }),
  'center.handover': method<IssuedForm>()({
    input: s.centerHandoverRecordInput,
    access: ['center'],
    summary: 'Hand the result over at the Center against its receipt; the handover record is signed and the case closes',
  }),
  'center.queue': method<CenterQueue>()({
    input: s.emptyInput,
    access: ['specialist', 'head', 'center'],
    summary: 'The Center channel’s work lists: incoming requests, requests to send, returns to correct, results to hand over',
  }),
  'sync.status': method<SyncStatusView>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Sync with the central server: online or not, items waiting, the last successful sync, problems, clock offset',
  }),
  'sync.now': method<SyncRoundView>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Sync now: one round (push what waits, pull what the office did)',
  }),
  'sync.problems': method<SyncProblems>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Refused items with the server’s reason, pulled events held back, and conflicts',
  }),
  'conflicts.list': method<ConflictView[]>()({
    input: s.emptyInput,
    access: ['specialist', 'head', 'center'],
    summary: 'The office’s conflicts of sync: the case, both acts side by side (who, when, what each would change), the options',
  }),
  'conflicts.resolve': method<ConflictView>()({
    input: o.resolveConflictInput,
    access: ['specialist', 'head', 'center'],
    summary: 'Resolve a conflict by a signed act: redo the act on the current version, withdraw it, or close one case as a duplicate',
  }),
} as const;
