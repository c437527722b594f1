/** Where a person's key is: NCALayer (the national signing app) beside the key file of sign-in. */
import { z } from 'zod';
import type { SessionInfo } from '../types';
import { method } from '../method-def';

/** A sign-in through NCALayer: the storage the person keeps the key in (a file, a Kaztoken, an ID card). */
const ncalayerSignInInput = z.object({ storage: z.enum(['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore']) });

export const keyMethods = {
  'session.signInNcalayer': method<SessionInfo>()({
    input: ncalayerSignInInput,
    access: 'public',
    summary: 'Sign in by challenge: the authentication key (AUTH_RSA256_…) signs a fresh challenge in NCALayer',
  }),
};
