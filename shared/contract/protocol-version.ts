/** The sync protocol's version, every request carries it (./sync-protocol.ts has the messages' schemas). */
export const SYNC_PROTOCOL = 1;
