/** Exit statuses of `kinegraph`, one place for scripts to rely on. */
export const ExitCode = {
  ok: 0,
  /** The workflow (or the command line) is invalid: nothing ran. */
  invalid: 1,
  /** A node failed while running. */
  nodeFailed: 2,
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A CLI mistake the user can fix (bad file, bad --set): printed without a stack, exit 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.invalid,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
