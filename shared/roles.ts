/**
 * Staff roles and the certificate policy that carries them.
 * Kazakh employee certificates carry the role as an extended-key-usage OID in the national arc
 * 1.2.398.3.3.4.1.2 (organisation employee): .1 head, .2 right to sign, .3 financial, .4 HR, .5 employee
 * (../shared/domain/benefit.md §5 [sourced]). The national arc cannot tell a counter specialist from a Center
 * specialist, so the application adds private-arc OIDs. The simulation uses IANA's enterprise number 32473,
 * reserved for examples and documentation (RFC 5612); a real deployment puts its own registered arc here.
 * (A UUID arc 2.25.<uuid> would need no registration, but node-forge cannot encode arcs above 32 bits.)
 * The mapping is data: the ECP issue extends it.
 */
export const ROLES = ['specialist', 'head', 'center', 'secretary', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Each role by its name, for code that must name one (the renderer imports these, never a string). */
export const ROLE = Object.fromEntries(ROLES.map((r) => [r, r])) as { readonly [R in Role]: R };

export const NATIONAL_EMPLOYEE_ARC = '1.2.398.3.3.4.1.2';
export const NATIONAL_EKU = {
  head: `${NATIONAL_EMPLOYEE_ARC}.1`,
  rightToSign: `${NATIONAL_EMPLOYEE_ARC}.2`,
  employee: `${NATIONAL_EMPLOYEE_ARC}.5`,
} as const;

/** Private arc of the Jardem simulation (RFC 5612 documentation enterprise number). */
export const JARDEM_ARC = '1.3.6.1.4.1.32473.7701';

export const ROLE_POLICY: Record<Role, { jardemOid: string; nationalOids: string[] }> = {
  specialist: { jardemOid: `${JARDEM_ARC}.1`, nationalOids: [NATIONAL_EKU.employee] },
  head: { jardemOid: `${JARDEM_ARC}.2`, nationalOids: [NATIONAL_EKU.head, NATIONAL_EKU.rightToSign] },
  center: { jardemOid: `${JARDEM_ARC}.3`, nationalOids: [NATIONAL_EKU.employee] },
  secretary: { jardemOid: `${JARDEM_ARC}.4`, nationalOids: [NATIONAL_EKU.employee] },
  admin: { jardemOid: `${JARDEM_ARC}.5`, nationalOids: [NATIONAL_EKU.employee] },
};

/** A workstation's device certificate (sync client), beside TLS client authentication 1.3.6.1.5.5.7.3.2. */
export const DEVICE_EKU = `${JARDEM_ARC}.100`;
/** The information-system gateway that signs its answers (the simulator in server/). */
export const GATEWAY_EKU = `${JARDEM_ARC}.200`;

/** The application roles a certificate's extended key usages grant. */
export function rolesFromExtendedKeyUsage(oids: readonly string[]): Role[] {
  return ROLES.filter((role) => oids.includes(ROLE_POLICY[role].jardemOid));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
