/** How far a backup or a restore has come: bytes of how many, the throughput and the time left, told at most twice a second. */
export interface BackupProgress {
  phase: 'snapshot' | 'write' | 'verify' | 'restore';
  done: number;
  total: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

const TELL_EVERY_MS = 500;

export function progressTracker(phase: BackupProgress['phase'], total: number, tell: (p: BackupProgress) => void = () => {}) {
  const startedAt = Date.now();
  let done = 0;
  let toldAt = 0;
  const now = (): BackupProgress => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    return { phase, done, total, bytesPerSecond: Math.round(rate), secondsLeft: done > 0 && elapsed >= 1 ? Math.max(0, Math.round((total - done) / rate)) : null };
  };
  return {
    add(n: number): void {
      done += n;
      if (Date.now() - toldAt < TELL_EVERY_MS) return;
      toldAt = Date.now();
      tell(now());
    },
    finish(): BackupProgress {
      const p = now();
      tell({ ...p, secondsLeft: 0 });
      return p;
    },
  };
}
