/**
 * How a case's drawer opens without a wait: its screen asked for as the row is clicked, and the drawer's own layer.
 */
import { call } from '../api/client';

/**
 * A case's screen asked for as the person clicks its row, before the list re-renders and the drawer mounts; the
 * drawer takes it once when it opens that case (a later refresh asks again).
 */
let prefetched: { caseId: string; answer: ReturnType<typeof call<'cases.get'>> } | null = null;
export function prefetchCase(caseId: string): void {
  prefetched = { caseId, answer: call('cases.get', { caseId }) };
}
export function caseScreen(caseId: string, opening: boolean) {
  const early = opening && prefetched?.caseId === caseId ? prefetched.answer : null;
  prefetched = null;
  return early ?? call('cases.get', { caseId });
}

/**
 * The case drawer's own layer, beside the app rather than the document's body: a drawer on the body locks the
 * page's scrolling, which measures the scroll bar and lays the whole list out again on every open (a third of the
 * time to the case on screen). The mask still covers the list, and Escape or a click on it closes the drawer.
 */
export function drawerLayer(): HTMLElement {
  let layer = document.getElementById('case-drawer-layer');
  if (!layer) {
    layer = document.createElement('div');
    layer.id = 'case-drawer-layer';
    document.body.appendChild(layer);
  }
  return layer;
}

/**
 * Puts the layer last in the document as a case opens: what was opened before it (a report's list of cases) stays
 * under it, and a dialog opened from the case (signing) comes after it, over it, as on the body.
 */
export function raiseDrawerLayer(): void {
  const layer = drawerLayer();
  if (layer !== document.body.lastElementChild) document.body.appendChild(layer);
}
