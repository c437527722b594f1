/**
 * A domain rule refused its input. `field` names the input that is wrong, so the caller can show the message
 * beside it; `code` is a message key of shared/i18n. A domain function never guesses past bad input.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} (${field})`);
    this.name = 'DomainError';
  }
}
