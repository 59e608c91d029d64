// A UserError is bad input: the CLI prints its message and exits 2 without
// running anything. Anything else is a bug or an environment failure.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
