import { memo } from 'react';
import { asNegativeSummary } from './negative-summary.js';
import { withToken } from '../api/client.js';
import type { UiOutput } from '../api/types.js';

export function outputUrl(o: UiOutput): string | undefined {
  if (o.url) return withToken(o.url);
  if (!o.filename) return undefined;
  return withToken(`/files/${o.folder ?? 'output'}/${encodeURIComponent(o.filename)}`);
}

function kindOf(o: UiOutput): 'image' | 'video' | 'audio' | 'text' | 'other' {
  const m = o.mime ?? '';
  if (o.kind === 'video' || m.startsWith('video/')) return 'video';
  if (o.kind === 'image' || m.startsWith('image/')) return 'image';
  if (o.kind === 'audio' || m.startsWith('audio/')) return 'audio';
  if (o.text !== undefined || o.kind === 'text') return 'text';
  return 'other';
}

/** What an output node shows after a run: an image, a looping video with download, audio, or text. */
export const NodeOutputs = memo(function NodeOutputs({ outputs, negative = false }: { outputs: UiOutput[]; negative?: boolean }) {
  return (
    <div className="kg-outputs nodrag">
      {outputs.map((o, i) => {
        const url = outputUrl(o);
        const k = kindOf(o);
        if (k === 'text')
          return (
            <pre key={i} className="kg-output-text nowheel">
              {negative && o.text ? asNegativeSummary(o.text) : o.text}
            </pre>
          );
        if (!url) return null;
        return (
          <div key={i} className="kg-output">
            {k === 'image' && <img src={url} alt={o.filename} className="kg-output-media" draggable={false} />}
            {k === 'video' && <video src={url} className="kg-output-media" controls loop autoPlay muted playsInline />}
            {k === 'audio' && <audio src={url} controls className="kg-audio" />}
            <div className="kg-output-bar">
              <span className="kg-output-name" title={o.filename}>
                {o.filename}
              </span>
              <a className="kg-link" href={url} download={o.filename?.split('/').pop()}>
                Download
              </a>
            </div>
          </div>
        );
      })}
    </div>
  );
});
