import { useEffect, useRef } from 'react';
import type { PushEvent } from '../../../shared/contract/push';
import { subscribe } from './client';

/** Runs `handler` for each pushed event while the component is shown (the newest handler, without resubscribing). */
export function usePush(handler: (event: PushEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => subscribe((event) => latest.current(event)), []);
}
