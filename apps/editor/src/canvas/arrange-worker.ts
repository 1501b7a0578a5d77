import { arrangedPositions } from './arranged.js';
import type { ArrangeJob, ArrangeReply } from './arrange-off-thread.js';

// Arrange of a big graph (dagre takes about a second for 300 nodes on a slow machine) away from the page's thread.
self.onmessage = (e: MessageEvent<ArrangeJob>) => {
  const { id, boxes, links, scope } = e.data;
  const r = arrangedPositions(boxes, links, scope && new Set(scope));
  const reply: ArrangeReply = { id, moves: [...r.moves], groups: r.groups };
  self.postMessage(reply);
};
