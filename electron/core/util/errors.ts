// Errors core raises on purpose carry a code the UI and the CLI can act on, and a message a person can follow.
export type CoreErrorCode =
  'NOT_FOUND' | 'INVALID_ARGUMENT' | 'INVALID_SETTINGS' | 'INVALID_IMPORT' | 'NOT_STARTED' | 'BACKEND_FAILED';

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
