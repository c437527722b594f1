/** The shape of one method of the contract, and the groups of roles the areas share. */
import type { z } from 'zod';
import type { Role } from '../roles';

/** 'public' methods need no sign-in (status, demo office, sign-in itself). */
export type Access = 'public' | readonly Role[];

export interface MethodDef<S extends z.ZodType = z.ZodType, R = unknown> {
  input: S;
  access: Access;
  summary: string;
  /** Phantom: the result type, for typed clients. */
  readonly _result?: R;
}

export function method<R>() {
  return <S extends z.ZodType>(def: { input: S; access: Access; summary: string }): MethodDef<S, R> => def;
}

export const STAFF: readonly Role[] = ['specialist', 'head', 'center', 'secretary', 'admin'];
/** Who certifies copies of originals (shared/domain/acts.ts, 'page.certified'). */
export const CERTIFIERS: readonly Role[] = ['specialist', 'center', 'secretary'];
