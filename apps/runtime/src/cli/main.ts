import { Command, InvalidArgumentError, Option } from 'commander';
import { extractCommand } from './commands/extract.js';
import { nodesCommand } from './commands/nodes.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { CliError, ExitCode } from './exit-codes.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const positiveInt = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Not a whole number.');
  return value;
};
const portNumber = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('Not a port number (0-65535).');
  return value;
};
const providerOption = () =>
  new Option('--provider <name>', 'where models run: auto (GPU when present), cpu or webgpu')
    .choices(['auto', 'cpu', 'webgpu'])
    .default('auto');

/** Builds the `kinegraph` command line; each action resolves to an exit status. */
export function buildProgram(done: (code: number) => void): Command {
  const program = new Command('kinegraph')
    .description('Kinegraph: node-graph workflows that turn photos into video')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own --help/--version and usage errors end here.
      done(err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? ExitCode.ok : ExitCode.invalid);
      throw err;
    });

  program
    .command('run')
    .description('validate and run a workflow, writing its outputs')
    .argument('<workflow.json>', 'the workflow file (or a PNG/MP4/WebM/GIF Kinegraph wrote: its embedded workflow runs)')
    .option('--set <nodeId.param=value>', 'override a parameter (JSON value, or text); repeatable', collect, [])
    .option('--target <nodeId>', 'run only what this node needs; repeatable', collect, [])
    .option('--force <nodeId>', 're-execute this node even when cached; repeatable', collect, [])
    .option('--out <dir>', 'folder for the files written', 'out')
    .option(
      '--input-dir <dir>',
      "folder relative file names in the workflow are looked up in first (then the folders a written file recorded, the workflow's folder, the current one, the examples' folder)",
    )
    .option('--models <dir>', 'models folder', 'models')
    .addOption(providerOption())
    .option('--cache <dir>', 'keep results in this folder between runs, so a rerun only executes what changed')
    .option('--cache-mb <n>', 'disk budget of --cache in MB (default 8192)', positiveInt)
    .option(
      '--sweep <nodeId.param=values>',
      'run once per value: 1..8, 1..9:2, a,b,c or @list.txt (one a line); several --sweep give every combination; repeatable',
      collect,
      [],
    )
    .option(
      '--each <nodeId.param=glob>',
      "run once per matching file, e.g. image.image='photos/*.jpg' (expanded here, sorted); repeatable",
      collect,
      [],
    )
    .option('--zip', 'pair the --sweep/--each values position by position instead of every combination')
    .option('--grid <file.png>', 'write a labelled grid of the variants (first, middle, last frame) and a grid video beside it')
    .option('--json', 'print engine events as JSON lines')
    .action(async (file: string, opts) => done(await runCommand(file, opts)));

  program
    .command('validate')
    .description('check a workflow and list every problem run would refuse (input files and models included)')
    .argument('<workflow.json>', 'the workflow file (or a PNG/MP4/WebM/GIF Kinegraph wrote)')
    .option('--input-dir <dir>', 'folder relative file names are looked up in, as for run')
    .option('--models <dir>', 'models folder', 'models')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts) => done(await validateCommand(file, opts)));

  program
    .command('extract')
    .description('print the workflow embedded in a PNG, MP4, WebM or GIF that Kinegraph wrote')
    .argument('<file>', 'the image or video')
    .option('-o, --out <workflow.json>', 'write it to this file instead of stdout')
    .action(async (file: string, opts) => done(await extractCommand(file, opts)));

  program
    .command('nodes')
    .description('list every node type with its inputs, outputs and parameters')
    .option('--json', 'print full descriptions (parameter schemas and UI hints) as JSON')
    .action((opts) => done(nodesCommand(opts)));

  program
    .command('serve')
    .description('start the runtime server and the editor')
    .option('--listen <address>', 'listen address; any other than this machine needs --token', '127.0.0.1')
    .addOption(new Option('--host <address>', 'same as --listen').hideHelp())
    .option('--port <port>', 'port (0 picks a free one)', portNumber, '8188')
    .option('--data <dir>', 'data folder (uploads, outputs, history, cache)', '.kinegraph')
    .option('--models <dir>', 'models folder', 'models')
    .addOption(
      new Option('--device <kind>', 'where models run: auto (the GPU when there is one), cpu or gpu').choices(['auto', 'cpu', 'gpu']),
    )
    .addOption(providerOption().hideHelp())
    .option('--cache-mb <n>', 'memory cache budget in MB', positiveInt)
    .option('--disk-cache-mb <n>', 'disk cache budget in MB', positiveInt)
    .option('--token-file <file>', 'read the access token from this file (required to listen beyond this machine; or set $KINEGRAPH_TOKEN)')
    .option('--token <secret>', 'access token on the command line (visible in ps: prefer --token-file or $KINEGRAPH_TOKEN)')
    .option('--queue <redis://host:port>', 'keep the queue in Redis (BullMQ); `kinegraph worker` processes run it')
    .action(async (opts) => done(await serveCommand(opts)));

  program
    .command('worker')
    .description("run jobs from a server's Redis queue (serve --queue), reading and writing the shared data folder")
    .requiredOption('--queue <redis://host:port>', 'the Redis the server keeps its queue in')
    .option('--data <dir>', "the server's data folder, shared (inputs read from input/, outputs written to output/)", '.kinegraph')
    .option('--models <dir>', 'models folder', 'models')
    .addOption(
      new Option('--device <kind>', 'where models run: auto (the GPU when there is one), cpu or gpu')
        .choices(['auto', 'cpu', 'gpu'])
        .default('auto'),
    )
    .option('--name <name>', "this worker's name in run records and logs (default host-pid)")
    .option('--cache-mb <n>', "memory cache budget in MB (this worker's own)", positiveInt)
    .option('--disk-cache <dir>', "a disk cache of this worker's own (not shared with another process)")
    .option(
      '--lock-ms <ms>',
      "how long a job stays locked without renewal; a dead worker's job is retried after it (default 30000)",
      positiveInt,
    )
    .option('--stall-check-ms <ms>', 'how often to look for jobs whose worker died (default 30000)', positiveInt)
    .action(async (opts) => done(await workerCommand(opts)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`kinegraph: ${err.message}\n`);
      return err.exitCode;
    }
    if ((err as { code?: string }).code?.startsWith('commander.')) return code;
    process.stderr.write(`kinegraph: ${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.nodeFailed;
  }
  return code;
}

const invokedDirectly = process.argv[1] && /kinegraph(\.mjs)?$|cli[\\/]main\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const code = await main(process.argv.slice(2));
  // Let stdout drain, then leave even if a library keeps a handle open.
  process.stdout.write('', () => process.exit(code));
}
