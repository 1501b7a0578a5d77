import { memo } from 'react';
import type { SeedMode } from '../api/types.js';
import { NumberWidget } from './number-widget.js';
import { randomSeed } from '../run/seed-after-run.js';
import type { WidgetProps } from './widget-props.js';

export const SeedWidget = memo(function SeedWidget(props: WidgetProps) {
  const mode = props.seedMode ?? 'fixed';
  return (
    <div className="kg-seed nodrag">
      <NumberWidget {...props} />
      <div className="kg-seed-row">
        <select
          className="kg-select nodrag"
          value={mode}
          title="After each run"
          aria-label="seed after run"
          onChange={(e) => props.onSeedMode?.(e.target.value as SeedMode)}
        >
          <option value="fixed">after run: fixed</option>
          <option value="increment">after run: increment</option>
          <option value="randomize">after run: randomize</option>
        </select>
        <button className="kg-icon-btn" title="New random seed" onClick={() => props.onChange(randomSeed())}>
          ⚄
        </button>
      </div>
    </div>
  );
});
