import { CipherError } from './cipher-thread';

/**
 * A write refused for want of room (the drive full, or the person's quota on it): a person is told so, with the
 * room needed, not that the app failed. A removable drive holding older backups fills up in ordinary use.
 */
export function isDriveFull(error: unknown): boolean {
  const code = error instanceof CipherError ? error.reason : (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Bytes as the whole megabytes a person reads (rounded up: "about 650 MB needed"). */
export const megabytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 2 ** 20));
