import type { ParamHint, SeedMode } from '../api/types.js';

export interface WidgetProps {
  nodeId: string;
  name: string;
  hint: ParamHint;
  value: unknown;
  /** Commits a new value as one undo step. */
  onChange: (value: unknown) => void;
  invalid?: boolean;
  seedMode?: SeedMode;
  onSeedMode?: (mode: SeedMode) => void;
}
