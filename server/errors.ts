// Typed HTTP errors with a stable machine-readable code. The message key is translated for public
// routes; 5xx details never reach the client.
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(code);
  }
}

export const notOpen = () => new AppError(503, 'not_open');
