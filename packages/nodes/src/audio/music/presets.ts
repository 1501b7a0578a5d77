import type { PresetName } from './moods.js';
import type { VoiceName } from './voices.js';

/** Which voice plays each pitched part under an instrumentation preset. */
export interface Instrumentation {
  pad: VoiceName;
  harmony: VoiceName;
  melody: VoiceName;
  bass: VoiceName;
}

export const INSTRUMENTATION: Record<PresetName, Instrumentation> = {
  piano: { pad: 'warmPad', harmony: 'piano', melody: 'piano', bass: 'softBass' },
  strings: { pad: 'strings', harmony: 'pluck', melody: 'strings', bass: 'subBass' },
  plucks: { pad: 'synthPad', harmony: 'pluck', melody: 'keys', bass: 'synthBass' },
  electronic: { pad: 'synthPad', harmony: 'pluck', melody: 'lead', bass: 'synthBass' },
  ambient: { pad: 'airPad', harmony: 'bell', melody: 'bell', bass: 'subBass' },
  mallets: { pad: 'warmPad', harmony: 'marimba', melody: 'marimba', bass: 'softBass' },
};
