import type { ComponentType } from 'react';
import type { ParamHint } from '../api/types.js';
import { ChoiceWidget, JsonWidget, MultilineWidget, TextWidget, ToggleWidget } from './basic-widgets.js';
import { CameraPathWidget } from './camera-path-widget.js';
import { NumberWidget, SliderWidget } from './number-widget.js';
import { SeedWidget } from './seed-widget.js';
import { AudioUploadWidget, ImageUploadWidget, ModelWidget } from './upload-widgets.js';
import type { WidgetProps } from './widget-props.js';

/** One widget component per hint kind, chosen once (not per render). */
const BY_KIND: Record<ParamHint['widget'], ComponentType<WidgetProps>> = {
  number: NumberWidget,
  slider: SliderWidget,
  seed: SeedWidget,
  choice: ChoiceWidget,
  toggle: ToggleWidget,
  text: TextWidget,
  multiline: MultilineWidget,
  'image-upload': ImageUploadWidget,
  'audio-upload': AudioUploadWidget,
  'file-upload': AudioUploadWidget,
  model: ModelWidget,
  'camera-path': CameraPathWidget,
  json: JsonWidget,
};

export function widgetFor(hint: ParamHint): ComponentType<WidgetProps> {
  return BY_KIND[hint.widget] ?? JsonWidget;
}
