/**
 * Text a person types: zero-width characters stripped, then trimmed. Control characters and
 * broken UTF-16 are refused for every field by the dispatcher (shared/text.ts unsafeText). Every message is a key of
 * shared/i18n, so the renderer shows it beside its field in the user's language.
 */
import { z } from 'zod';
import { BIDI_CONTROLS, stripZeroWidth } from '../text';

export const typed = () => z.string().overwrite(stripZeroWidth).trim();
export const required = (max: number) => typed().min(1, 'field.required').max(max, 'field.too_long');
export const text = (max: number) => required(max);
/** A person's name: also no bidirectional controls, which would show it otherwise than it is stored. */
export const noBidi = (s: string) => !BIDI_CONTROLS.test(s);
export const personName = (max: number) => required(max).refine(noBidi, 'field.bidi_control');
export const optionalName = (max: number) => typed().max(max, 'field.too_long').refine(noBidi, 'field.bidi_control');
