export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export async function timeEachAsync<T>(inputs: T[], fn: (input: T) => Promise<unknown>, warmup = 100): Promise<number[]> {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) await fn(inputs[i]!);
  const out: number[] = [];
  for (const input of inputs) {
    const t = performance.now();
    await fn(input);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export function report(name: string, value: number, unit: string, baseline: number | null, extra: Record<string, unknown> = {}) {
  const round = (x: number) => Math.round(x * 10000) / 10000;
  console.log(
    JSON.stringify({
      name,
      value: round(value),
      unit,
      baseline: baseline === null ? null : round(baseline),
      ratio: baseline === null || baseline === 0 ? null : round(value / baseline),
      ...extra,
    }),
  );
}

/**
 * Times two implementations on the same inputs, alternating which runs first on each input, so warm-up,
 * caches and machine noise fall on both alike. Returns both sorted duration lists in milliseconds.
 */
export function timePaired<T>(inputs: T[], a: (input: T) => unknown, b: (input: T) => unknown, warmup = 300): { a: number[]; b: number[] } {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) {
    a(inputs[i]!);
    b(inputs[i]!);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  inputs.forEach((input, i) => {
    const order = i % 2 === 0 ? ([a, ta, b, tb] as const) : ([b, tb, a, ta] as const);
    for (const [fn, out] of [[order[0], order[1]], [order[2], order[3]]] as const) {
      const t = performance.now();
      fn(input);
      out.push(performance.now() - t);
    }
  });
  return { a: ta.sort((x, y) => x - y), b: tb.sort((x, y) => x - y) };
}

/**
 * The async twin of timePaired for slow queries: `rounds` runs of each, the first dropped as a warm-up, in the
 * same alternating order. Returns both sorted duration lists in milliseconds.
 */
export async function timePairedAsync(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ a: number[]; b: number[] }> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? ([a, ta, b, tb] as const) : ([b, tb, a, ta] as const);
    for (const [fn, out] of [[order[0], order[1]], [order[2], order[3]]] as const) {
      const t = performance.now();
      await fn();
      if (i > 0) out.push(performance.now() - t);
    }
  }
  return { a: ta.sort((x, y) => x - y), b: tb.sort((x, y) => x - y) };
}
