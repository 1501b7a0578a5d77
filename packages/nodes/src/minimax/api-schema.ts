import { z } from 'zod';

/**
 * The MiniMax video API's messages (platform.minimax.io API reference: video generation, task query, file
 * retrieval). Answers are parsed leniently (unknown fields pass, ids may be numbers or strings), requests strictly.
 */

/** Every answer carries this: status_code 0 is success, anything else an error (see status-codes.ts). */
export const BaseRespSchema = z.looseObject({
  status_code: z.number().int(),
  status_msg: z.string().optional().default(''),
});
export type BaseResp = z.infer<typeof BaseRespSchema>;

/** Large ids come as strings (an int64 is not safe as a JS number); some answers send numbers. */
const IdSchema = z.union([z.string(), z.number().int()]).transform((v) => String(v));

export const SubmitRequestSchema = z.strictObject({
  model: z.string().min(1),
  prompt: z.string().max(2000).optional(),
  /** A data URL (data:image/jpeg;base64,...) or a public URL. */
  first_frame_image: z.string().optional(),
  last_frame_image: z.string().optional(),
  duration: z.number().int().optional(),
  resolution: z.string().optional(),
  prompt_optimizer: z.boolean().optional(),
});
export type SubmitRequest = z.infer<typeof SubmitRequestSchema>;

export const SubmitResponseSchema = z.looseObject({
  task_id: IdSchema.optional(),
  base_resp: BaseRespSchema,
});

/** Task states the query answers; the callback form writes them in lower case, so they are compared case-blind. */
export const TASK_STATES = ['Queueing', 'Preparing', 'Processing', 'Success', 'Fail'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const QueryResponseSchema = z.looseObject({
  task_id: IdSchema.optional(),
  status: z.string().optional().default(''),
  file_id: IdSchema.optional(),
  video_width: z.number().optional(),
  video_height: z.number().optional(),
  base_resp: BaseRespSchema,
});
export type QueryResponse = z.infer<typeof QueryResponseSchema>;

export const FileResponseSchema = z.looseObject({
  file: z
    .looseObject({
      file_id: IdSchema.optional(),
      bytes: z.number().int().nonnegative().optional(),
      filename: z.string().optional(),
      download_url: z.string().optional(),
      backup_download_url: z.string().optional(),
    })
    .optional(),
  base_resp: BaseRespSchema,
});
export type FileResponse = z.infer<typeof FileResponseSchema>;

export function taskState(status: string): TaskState | undefined {
  return TASK_STATES.find((s) => s.toLowerCase() === status.trim().toLowerCase());
}
