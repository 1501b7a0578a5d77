import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expandVariants, parseEach, parseSweep, VariantSyntaxError, type Variant, type VariantAxis } from '@kinegraph/graph-core';
import { CliError } from './exit-codes.js';
import { expandGlob } from './glob.js';

export interface VariantOptions {
  sweep?: string[];
  each?: string[];
  zip?: boolean;
}

/**
 * The variants `--each`/`--sweep` (and `--zip`) ask for: @lists read and globs expanded relative to `cwd`
 * (where the user typed them). Each --each comes first, in order, then each --sweep. No options: one variant.
 */
export async function cliVariants(o: VariantOptions, cwd = process.cwd()): Promise<Variant[]> {
  try {
    const axes: VariantAxis[] = [];
    for (const text of o.each ?? []) {
      const e = parseEach(text);
      const files = await expandGlob(e.pattern, cwd);
      if (!files.length) throw new CliError(`--each "${text}": no file matches ${path.resolve(cwd, e.pattern)}`);
      axes.push({ nodeId: e.nodeId, param: e.param, kind: 'each', values: files });
    }
    const readList = (name: string) => {
      const file = path.resolve(cwd, name);
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`--sweep @${name}: can not read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    };
    for (const text of o.sweep ?? []) axes.push(parseSweep(text, { readList }));
    if (o.zip && axes.length < 2) throw new CliError('--zip pairs two or more --sweep/--each axes; give at least two');
    return expandVariants(axes, { zip: o.zip });
  } catch (err) {
    if (err instanceof VariantSyntaxError) throw new CliError(err.message);
    throw err;
  }
}
