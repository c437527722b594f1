import { useCallback, useRef } from 'react';

/**
 * Readings of one thing a screen shows (a list, a case, its verification) of which only the newest is shown: each
 * call marks a new reading and returns a check that says, when its answer comes, whether it is still the newest. A
 * slower, older answer (a search since typed over, a filter since changed, a page since removed) is dropped, not
 * drawn over what the screen now asks for.
 */
export function useNewestReading(): () => () => boolean {
  const asked = useRef(0);
  return useCallback(() => {
    const n = ++asked.current;
    return () => n === asked.current;
  }, []);
}
