/**
 * The one method contract. Electron's IPC bridge, the browser host and the CLI are built from this table;
 * the services validate every input with its schema and check the caller's role before running a method.
 * Each area's methods live in areas/ (one file each), merged here.
 */
import type { z } from 'zod';
import { officeMethods } from './areas/office';
import { intakeMethods } from './areas/intake';
import { decisionMethods } from './areas/decision';
import { networkMethods } from './areas/network';
import { reportsMethods } from './areas/reports';
import { backupMethods } from './areas/backup';
import { paperMethods } from './areas/paper';
import { keyMethods } from './areas/keys';
import { staffMethods } from './areas/staff';

export type { Access, MethodDef } from './method-def';

export const methods = {
  ...officeMethods,
  ...intakeMethods,
  ...decisionMethods,
  ...networkMethods,
  ...reportsMethods,
  ...backupMethods,
  ...paperMethods,
  ...keyMethods,
  ...staffMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['_result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** What crosses every transport: the method, its raw input, and the session token from sign-in. */
export interface CallEnvelope {
  method: string;
  input: unknown;
  session?: string;
}
