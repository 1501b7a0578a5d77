import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { EngineEvent } from './events.js';
import { defineNode, input, output } from './node-definition.js';
import { NodeRegistry } from './registry.js';
import { createServices } from './services.js';
import { checkInputs, SocketTypeError } from './socket-checks.js';
import { defineSocket } from './socket-types.js';
import { doc } from './testing/test-nodes.js';

class Box {
  readonly kind = 'box' as const;
  constructor(readonly size: number) {}
}
const BOX = defineSocket<Box>({
  name: 'TEST_BOX',
  summary: 'A box',
  is: (v): v is Box => v instanceof Box,
  describe: (b) => `BOX ${b.size}`,
  hint: 'connect it to Make Box',
});

const MakeBox = defineNode({
  type: 'MakeBox',
  category: 'test',
  title: 'Make Box',
  description: '',
  version: 1,
  inputs: {},
  outputs: { box: output(BOX) },
  params: {},
  cache: 'never',
  // A bug to catch: says BOX, gives a number.
  execute: () => ({ box: 3 }),
});
const Measure = defineNode({
  type: 'Measure',
  category: 'test',
  title: 'Measure',
  description: '',
  version: 1,
  inputs: { box: input(BOX), spare: input(BOX, { optional: true }) },
  outputs: {},
  params: {},
  isOutput: true,
  cache: 'never',
  // Typed inputs: `box` is a Box and `spare` a Box or undefined, with no cast and no guard here.
  execute: (_ctx, inputs) => ({ size: inputs.box.size + (inputs.spare?.size ?? 0) }),
});

describe('socket types at node boundaries', () => {
  it('passes values of the declared type and a missing optional input', () => {
    expect(() => checkInputs(Measure, 'm', { box: new Box(1) })).not.toThrow();
  });

  it('refuses another type, naming the input, both types and the hint', () => {
    const err = (() => {
      try {
        checkInputs(Measure, 'm', { box: { kind: 'mask' } });
      } catch (e) {
        return e;
      }
    })() as SocketTypeError;
    expect(err).toBeInstanceOf(SocketTypeError);
    expect([err.nodeId, err.socketName, err.field, err.level]).toEqual(['m', 'box', 'box', 'user']);
    expect(err.message).toBe('The box input is not a TEST_BOX (got MASK) (connect it to Make Box)');
  });

  it('makes the engine report a wrong_type issue on the node that broke its declaration', async () => {
    const engine = new Engine({ registry: new NodeRegistry([MakeBox, Measure]), services: createServices([]) });
    const events: EngineEvent[] = [];
    const result = await engine.run(doc({ make: { type: 'MakeBox' }, measure: { type: 'Measure', inputs: { box: ['make', 'box'] } } }), {
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'wrong_type',
      nodeId: 'make',
      message: 'Make Box (make) failed: The box output is not a TEST_BOX',
    });
    expect(events.find((e) => e.type === 'node_failed')).toMatchObject({ nodeId: 'make', error: { level: 'user' } });
  });
});
