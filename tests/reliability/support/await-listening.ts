import type { ChildProcess } from 'node:child_process';

export interface ListeningChild {
  url: string;
  /** Everything the child wrote so far, stderr then stdout as it arrived. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Waits for a spawned server's "running at <url>" line; rejects with its output if it exits first. */
export async function awaitListening(child: ChildProcess): Promise<ListeningChild> {
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((e) => reject(new Error(`server exited (${e.code ?? e.signal}) before listening:\n${out}`)));
  });
  return { url, output: () => out, exited };
}
