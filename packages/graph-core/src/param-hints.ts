import { z } from 'zod';

/** How the editor shows a parameter. Stored beside the zod schema in `paramHints`. */
export const WidgetKind = {
  number: 'number',
  slider: 'slider',
  seed: 'seed',
  choice: 'choice',
  toggle: 'toggle',
  text: 'text',
  multiline: 'multiline',
  imageUpload: 'image-upload',
  audioUpload: 'audio-upload',
  fileUpload: 'file-upload',
  model: 'model',
  cameraPath: 'camera-path',
  json: 'json',
} as const;
export type WidgetKindName = (typeof WidgetKind)[keyof typeof WidgetKind];

/**
 * What a parameter means to the host, declared by its builder (never read from the widget): a seed (a batch
 * offsets it, the editor's after-run modes change it), a file in the input folder (checked before a run), a
 * model id (checked against the model registry).
 */
export const ParamRole = { seed: 'seed', file: 'file', model: 'model' } as const;
export type ParamRoleName = (typeof ParamRole)[keyof typeof ParamRole];

export const ParamHintSchema = z.object({
  role: z.enum(['seed', 'file', 'model']).optional(),
  widget: z.enum(Object.values(WidgetKind) as [WidgetKindName, ...WidgetKindName[]]),
  label: z.string().optional(),
  description: z.string().optional(),
  default: z.unknown().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  choices: z.array(z.string()).optional(),
  multiline: z.boolean().optional(),
  placeholder: z.string().optional(),
  /** Socket type the parameter becomes when the user converts the widget to an input (INT, FLOAT, STRING, BOOLEAN, ...). */
  socket: z.string().optional(),
  /** For model widgets: which model kind to list (video, upscale, ...). */
  modelKind: z.string().optional(),
  /** For upload widgets: the accepted kind of file. */
  accept: z.string().optional(),
  advanced: z.boolean().optional(),
});
export type ParamHint = z.infer<typeof ParamHintSchema>;

/** Registry holding each parameter schema's UI hint. */
export const paramHints = z.registry<ParamHint>();

export function withHint<S extends z.ZodType>(schema: S, hint: ParamHint): S {
  paramHints.add(schema, hint);
  return schema;
}

export function hintOf(schema: z.ZodType): ParamHint | undefined {
  return paramHints.get(schema);
}

/** The names of a node's parameters with one role, in declaration order. */
export function paramsWithRole(params: Record<string, z.ZodType>, role: ParamRoleName): string[] {
  return Object.keys(params).filter((name) => paramHints.get(params[name]!)?.role === role);
}

interface Common {
  label?: string;
  description?: string;
  advanced?: boolean;
  /** false: the widget can not be turned into an input socket. */
  socket?: boolean;
}

/** Builders for parameters: a zod schema with a default and a UI hint, in one call. */
export const p = {
  int(o: Common & { default: number; min?: number; max?: number; step?: number; slider?: boolean }) {
    let s = z.number().int();
    if (o.min !== undefined) s = s.min(o.min);
    if (o.max !== undefined) s = s.max(o.max);
    return withHint(s.default(o.default), {
      widget: o.slider ? WidgetKind.slider : WidgetKind.number,
      ...pick(o),
      default: o.default,
      min: o.min,
      max: o.max,
      step: o.step ?? 1,
      socket: o.socket === false ? undefined : 'INT',
    });
  },
  float(o: Common & { default: number; min?: number; max?: number; step?: number; slider?: boolean }) {
    let s = z.number().finite();
    if (o.min !== undefined) s = s.min(o.min);
    if (o.max !== undefined) s = s.max(o.max);
    return withHint(s.default(o.default), {
      widget: o.slider ? WidgetKind.slider : WidgetKind.number,
      ...pick(o),
      default: o.default,
      min: o.min,
      max: o.max,
      step: o.step ?? 0.01,
      socket: o.socket === false ? undefined : 'FLOAT',
    });
  },
  /** A seed: an unsigned 53-bit safe integer; the editor offers fixed / increment / randomize after a run. */
  seed(o: Common & { default?: number } = {}) {
    const def = o.default ?? 0;
    // zod's int() already stops at the largest safe integer (a second max() would repeat its message).
    return withHint(z.number().int().min(0).default(def), {
      role: ParamRole.seed,
      widget: WidgetKind.seed,
      ...pick(o),
      default: def,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      step: 1,
      socket: 'INT',
    });
  },
  choice<const T extends readonly [string, ...string[]]>(choices: T, o: Common & { default: T[number] }) {
    return withHint(z.enum(choices).default(o.default as never), {
      widget: WidgetKind.choice,
      ...pick(o),
      default: o.default,
      choices: [...choices],
      socket: o.socket === false ? undefined : 'STRING',
    });
  },
  bool(o: Common & { default: boolean }) {
    return withHint(z.boolean().default(o.default), {
      widget: WidgetKind.toggle,
      ...pick(o),
      default: o.default,
      socket: o.socket === false ? undefined : 'BOOLEAN',
    });
  },
  string(o: Common & { default?: string; multiline?: boolean; placeholder?: string; maxLength?: number } = {}) {
    const def = o.default ?? '';
    return withHint(
      z
        .string()
        .max(o.maxLength ?? 100_000)
        .default(def),
      {
        widget: o.multiline ? WidgetKind.multiline : WidgetKind.text,
        ...pick(o),
        default: def,
        multiline: o.multiline,
        placeholder: o.placeholder,
        socket: o.socket === false ? undefined : 'STRING',
      },
    );
  },
  /** A reference to an uploaded or local file (a name inside the input folder). */
  file(o: Common & { accept: 'image' | 'audio' | 'workflow' | 'any'; default?: string }) {
    const widget = o.accept === 'image' ? WidgetKind.imageUpload : o.accept === 'audio' ? WidgetKind.audioUpload : WidgetKind.fileUpload;
    return withHint(
      z
        .string()
        .max(4096)
        .default(o.default ?? ''),
      {
        role: ParamRole.file,
        widget,
        ...pick(o),
        default: o.default ?? '',
        accept: o.accept,
        socket: o.socket === false ? undefined : 'STRING',
      },
    );
  },
  model(o: Common & { kind: string; default: string }) {
    return withHint(z.string().min(1).max(512).default(o.default), {
      role: ParamRole.model,
      widget: WidgetKind.model,
      ...pick(o),
      default: o.default,
      modelKind: o.kind,
      socket: o.socket === false ? undefined : 'STRING',
    });
  },
  /** Structured value (keyframes, lists) validated by its own schema. */
  json<S extends z.ZodType>(schema: S, o: Common & { default: z.input<S>; widget?: 'json' | 'camera-path' }) {
    return withHint(schema.default(o.default as never), {
      widget: o.widget === 'camera-path' ? WidgetKind.cameraPath : WidgetKind.json,
      ...pick(o),
      default: o.default,
    });
  },
};

function pick(o: Common) {
  return { label: o.label, description: o.description, advanced: o.advanced };
}
