import { useCallback, useRef } from 'react';

/**
 * Readings of one list of which only the newest is shown: each call marks a new reading and returns a check that
 * says, when its answer comes, whether it is still the newest. A slower, older answer (a search since typed over, a
 * filter since changed) is dropped, not drawn over the rows the screen now asks for.
 */
export function useNewestReading(): () => () => boolean {
  const asked = useRef(0);
  return useCallback(() => {
    const n = ++asked.current;
    return () => n === asked.current;
  }, []);
}
