/**
 * Grounds for refusing (item 10; item 11.1 stage 2 for the refusal to accept). A refusal is a paper notice
 * stating its reason (item 7 as amended), so a refusal without a ground is not allowed.
 */
export const REFUSAL_GROUNDS = {
  originals_not_brought: { source: '11.1 stage 2 (Appendix 20)', applies: 'acceptance' },
  incomplete_information: { source: '10', applies: 'decision' },
  unreliable_information: { source: '10', applies: 'decision' },
  income_not_below_threshold: { source: 'Law of 2005 on state benefits; benefit.md §1', applies: 'decision' },
  no_child_under_18: { source: 'benefit.md §1 [assumed]', applies: 'decision' },
} as const;
export type RefusalGround = keyof typeof REFUSAL_GROUNDS;
