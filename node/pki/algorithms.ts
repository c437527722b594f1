/**
 * The algorithms our verifier checks (RSA with SHA-256, as the simulated PKI and НУЦ РК's RSA keys sign) and the
 * names of those it cannot, so that a GOST signature is refused by name instead of passing unchecked or failing
 * as "invalid".
 */
export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

const NAMES: Record<string, string> = {
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10045.4.3.2': 'ECDSA with SHA-256',
  '1.3.101.112': 'Ed25519',
  '1.3.14.3.2.26': 'SHA-1',
  '1.2.840.113549.1.1.5': 'SHA-1 with RSA',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '1.2.398.3.10.1.1.1.1': 'GOST 34.310-2004',
  '1.2.398.3.10.1.1.1.2': 'GOST 34.310-2004',
  '1.2.398.3.10.1.3.1': 'GOST 34.311-95',
  '1.2.398.3.10.1.1.2.3.1': 'GOST 34.10-2015 (512)',
  '1.2.398.3.10.1.1.2.3.2': 'GOST 34.10-2015 (512)',
  '1.2.398.3.10.1.1.2.2.1': 'GOST 34.10-2015 (256)',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256)',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012 (512)',
  '1.2.643.7.1.1.2.2': 'GOST R 34.11-2012 (256)',
  '1.2.643.7.1.1.2.3': 'GOST R 34.11-2012 (512)',
  '1.2.643.7.1.1.3.2': 'GOST R 34.10-2012 with 34.11-2012 (256)',
  '1.2.643.7.1.1.3.3': 'GOST R 34.10-2012 with 34.11-2012 (512)',
};

/** A person-readable name of an algorithm's OID (the OID itself when we know no name). */
export function algorithmName(oid: string): string {
  return NAMES[oid] ? `${NAMES[oid]} (${oid})` : oid;
}

/** A signature, digest or key algorithm our verifier cannot check. */
export class UnsupportedAlgorithmError extends Error {
  constructor(readonly algorithm: string) {
    super(`unsupported algorithm ${algorithm}`);
  }
}

/** The name alone, as a key file's refusal says it ("EC", "GOST 34.310-2004"); the OID when we know no name. */
export function algorithmShortName(oid: string): string {
  return NAMES[oid] ?? oid;
}
