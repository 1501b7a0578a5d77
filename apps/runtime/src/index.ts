/** @kinegraph/runtime: the command line (and, under ./server, the HTTP/WebSocket runtime). */
export { main as runCli, buildProgram } from './cli/main.js';
export { runCommand, type RunCommandOptions } from './cli/commands/run.js';
export { ExitCode } from './cli/exit-codes.js';
