import { useEffect, useRef, useState } from 'react';
import type { PreviewState } from '@kinegraph/runtime/protocol';
import { useApp } from '../app-context.js';
import { graphOnly } from '../camera/graph-lookup.js';
import { PreviewClient, type PreviewPicture } from './preview-client.js';
import './preview.css';

const WIDTH = 384;

/**
 * The scene of one Denoise node as it will move, rendered by the runtime from the cached encode and
 * streamed over the socket while the workflow is edited (camera, prompt, motion settings): frames play at
 * the clip's rate; the scrubber holds any frame. Frames are drawn on a canvas as they come (no image URLs
 * to create and revoke 24 times a second).
 */
export function LivePreview({
  denoiseId,
  onAspect,
  onTime,
  width = WIDTH,
}: {
  denoiseId: string;
  onAspect?: (aspect: number) => void;
  /** The shown frame's place in the clip, 0..1 (a time line's playhead). */
  onTime?: (t: number) => void;
  width?: number;
}) {
  const { store } = useApp();
  const canvas = useRef<HTMLCanvasElement>(null);
  const client = useRef<PreviewClient | null>(null);
  const [state, setState] = useState<PreviewState | null>(null);
  const [playing, setPlaying] = useState(true);
  const [frame, setFrame] = useState(0);
  const [fps, setFps] = useState(0);
  const play = useRef({ playing: true, frame: 0 });
  const arrivals = useRef<number[]>([]);
  const drawn = useRef(0);
  /** Pictures in the order they arrived, and the newest of them on screen. */
  const arrived = useRef(0);
  const shown = useRef(0);
  const aspectCb = useRef(onAspect);
  aspectCb.current = onAspect;
  const timeCb = useRef(onTime);
  timeCb.current = onTime;
  const frames = useRef(0);

  useEffect(() => {
    // Held on a frame, a picture of another frame is a leftover of the playback before the hold (sent before the
    // server had the seek). A clip that an edit made shorter holds its own last frame.
    const heldFrame = () => (frames.current > 0 ? Math.min(play.current.frame, frames.current - 1) : play.current.frame);
    const stale = (p: PreviewPicture) => !play.current.playing && p.frame !== heldFrame();
    const draw = async (p: PreviewPicture) => {
      const c = canvas.current;
      if (!c) return;
      if (stale(p)) return;
      const seq = ++arrived.current;
      const bmp = await createImageBitmap(p.blob);
      // Decoding is asynchronous and need not finish in order: never draw over a picture that came later.
      if (seq < shown.current || stale(p)) {
        bmp.close();
        return;
      }
      shown.current = seq;
      if (c.width !== bmp.width || c.height !== bmp.height) {
        c.width = bmp.width;
        c.height = bmp.height;
      }
      c.getContext('2d')!.drawImage(bmp, 0, 0);
      bmp.close();
      drawn.current++;
      // What tests and the bench read: which edit and frame is on screen, and how many were drawn.
      c.dataset.generation = String(p.generation);
      c.dataset.frame = String(p.frame);
      c.dataset.drawn = String(drawn.current);
      c.dataset.drawnAt = String(performance.now());
      const now = performance.now();
      arrivals.current = [...arrivals.current.filter((t) => now - t < 1000), now];
      if (play.current.playing) setFrame(p.frame);
      if (frames.current > 1) timeCb.current?.(p.frame / (frames.current - 1));
    };
    const c = new PreviewClient(
      (s) => {
        setState(s);
        if (s.frames) frames.current = s.frames;
        if (s.width && s.height) aspectCb.current?.(s.width / s.height);
      },
      (p) => void draw(p),
    );
    client.current = c;
    const t = setInterval(() => setFps(arrivals.current.filter((x) => performance.now() - x < 1000).length), 500);
    return () => {
      clearInterval(t);
      c.close();
    };
  }, []);

  // Every change to the graph (not the layout) is an edit the preview follows.
  const draft = useRef<{ nodeId: string; param: string; text: string } | null>(null);
  const send = useRef(() => {});
  send.current = () => {
    const g = graphOnly(store.doc) as { nodes: Record<string, { params: Record<string, unknown> }> };
    const d = draft.current;
    const node = d ? g.nodes[d.nodeId] : undefined;
    const nodes = d && node ? { ...g.nodes, [d.nodeId]: { ...node, params: { ...node.params, [d.param]: d.text } } } : g.nodes;
    client.current?.open({ ...g, nodes }, denoiseId, width, play.current.frame, play.current.playing);
  };
  // Straight from the store, not after React has drawn the edit: the frame of the new path comes sooner.
  useEffect(() => {
    let nodes = store.doc.nodes;
    send.current();
    return store.subscribe(() => {
      if (store.doc.nodes === nodes) return; // a layout change (a moved node) does not change the scene
      nodes = store.doc.nodes;
      draft.current = null; // committed: the document has it now
      send.current();
    });
  }, [store, denoiseId, width]);
  // A prompt is previewed as it is typed: its text field commits only when left (one undo step per edit), so
  // the words in the field are sent as a draft of that parameter meanwhile.
  useEffect(() => {
    const onInput = (e: Event) => {
      const t = e.target as HTMLElement;
      if (!(t instanceof HTMLTextAreaElement) || t.classList.contains('kg-mono') || !t.dataset.param) return;
      const nodeId = t.closest<HTMLElement>('.react-flow__node')?.dataset.id;
      if (!nodeId) return;
      draft.current = { nodeId, param: t.dataset.param, text: t.value };
      send.current();
    };
    document.addEventListener('input', onInput, true);
    return () => document.removeEventListener('input', onInput, true);
  }, []);

  const clipFrames = state?.frames ?? 0;
  const fpsClip = state?.fps ?? 24;
  const seek = (f: number, p: boolean) => {
    play.current = { frame: f, playing: p };
    setFrame(f);
    setPlaying(p);
    client.current?.seek(f, p);
  };
  return (
    <div className="kg-live" data-testid="live-preview" data-status={state?.status ?? 'connecting'}>
      <div className="kg-live-screen" style={{ aspectRatio: state?.width && state.height ? `${state.width} / ${state.height}` : '16 / 9' }}>
        <canvas
          ref={canvas}
          className="kg-live-canvas"
          data-testid="live-preview-canvas"
          width={width}
          height={Math.round((width * 9) / 16)}
        />
        {state?.status === 'preparing' && drawn.current === 0 && <div className="kg-live-note">preparing the scene…</div>}
        {state?.status === 'failed' && (
          <div className="kg-live-note error" data-testid="live-preview-error">
            {state.message}
          </div>
        )}
      </div>
      <div className="kg-live-bar">
        <button
          className="kg-btn kg-live-play"
          aria-label={playing ? 'Pause' : 'Play'}
          onClick={() => seek(frame, !playing)}
          disabled={!clipFrames}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <input
          className="kg-live-scrub"
          type="range"
          aria-label="Preview time"
          data-testid="live-preview-scrub"
          min={0}
          max={Math.max(0, clipFrames - 1)}
          step={1}
          value={Math.min(frame, Math.max(0, clipFrames - 1))}
          disabled={!clipFrames}
          onChange={(e) => seek(Number(e.target.value), false)}
        />
        <span className="kg-live-time">
          {(frame / fpsClip).toFixed(2)} / {(clipFrames / fpsClip).toFixed(1)} s
        </span>
      </div>
      <div className="kg-live-info">
        <span data-testid="live-preview-fps">{playing ? `${fps} fps` : 'held'}</span>
        {state?.prepareMs !== undefined && <span>updated in {state.prepareMs} ms</span>}
        <span className="kg-live-hint" title="Rendered by the runtime from the cached encode, without the steps' detail refinement">
          draft · {state?.width ?? width} px
        </span>
      </div>
      {state?.warnings?.map((w) => (
        <div key={w} className="kg-live-warning">
          {w}
        </div>
      ))}
    </div>
  );
}
