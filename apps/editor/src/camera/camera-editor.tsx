import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useEditor } from '../app-context.js';
import { LivePreview } from '../preview/live-preview.js';
import { inputFileUrl } from '../widgets/upload-widgets.js';
import { FramingView } from './framing-view.js';
import { cameraConsumer, upstreamImage } from './graph-lookup.js';
import { MoveTimeline } from './move-timeline.js';
import { NumField } from './num-field.js';
import { KEY_COLORS, keyOrder, keyRole, readPath, type Keyframe, type Move, type PathValue } from './path-model.js';
import { pathRules } from './path-schema.js';
import './camera.css';

/**
 * Directing the camera by hand, for a Camera Path node: the framing of each keyframe dragged over the
 * photo, Director moves from the node's own list on a timeline, and the live preview of the Denoise it
 * feeds. Every change is checked against the node's schema from the server before it reaches the document;
 * a drag is one undo step.
 */
export function CameraEditor({ nodeId, param, onClose }: { nodeId: string; param: string; onClose: () => void }) {
  const { store, schemas } = useApp();
  const doc = useEditor((s) => s.doc);
  const node = doc.nodes[nodeId];
  const schema = node ? schemas.get(node.type) : undefined;
  const rules = useMemo(() => pathRules(schema?.params.find((p) => p.name === param)?.schema), [schema, param]);
  const path = readPath(node?.params[param]);
  const denoise = cameraConsumer(doc, nodeId);
  const photo = upstreamImage(doc, schemas, denoise ?? nodeId);
  const [aspect, setAspect] = useState(16 / 9);
  const [selected, setSelected] = useState(0);
  const [jsonOpen, setJsonOpen] = useState(false);
  // The preview's time on every time line, moved on the page directly (24 times a second, no re-render).
  const root = useRef<HTMLDivElement>(null);
  const showTime = (t: number) =>
    root.current?.querySelectorAll<HTMLElement>('.kg-cam-playhead').forEach((el) => (el.style.left = `${t * 100}%`));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), onClose());
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);

  /** Writes a path the schema accepts (else nothing), returning the schema's first complaint. */
  const write = (next: PathValue, label: string): string | undefined => {
    const verdict = rules.validate(next);
    if (!verdict.ok) return verdict.issues[0]!.message;
    store.edit(label, (d) => void (d.nodes[nodeId]!.params[param] = JSON.parse(JSON.stringify(next))));
    return undefined;
  };
  /** The schema's complaint about one field's candidate value, reported at that field. */
  const checkAt = (next: PathValue, at: string) => {
    const verdict = rules.validate(next);
    if (verdict.ok) return undefined;
    return (verdict.issues.find((i) => i.path === at) ?? verdict.issues[0])!.message;
  };
  const withMove = (i: number, patch: Partial<Move>): PathValue => ({
    ...path,
    moves: path.moves.map((m, j) => (j === i ? { ...m, ...patch } : m)),
  });
  const withKey = (i: number, patch: Partial<Keyframe>): PathValue => ({
    ...path,
    keyframes: path.keyframes.map((k, j) => (j === i ? { ...k, ...patch } : k)),
  });

  const addHandFraming = () => {
    write(
      {
        ...path,
        keyframes: [
          { t: 0, rotation: [0, 0, 0], fov: 45 },
          { t: 1, rotation: [0, 0, 0], fov: 34 },
        ],
      },
      'Frame start and end',
    );
    setSelected(1);
  };
  const addKeyframe = () => {
    const order = keyOrder(path).map((i) => path.keyframes[i]!);
    // In the middle of the widest gap, framed halfway between its neighbours.
    let at = 0;
    for (let j = 1; j < order.length; j++) if (order[j]!.t - order[j - 1]!.t > order[at + 1]!.t - order[at]!.t) at = j - 1;
    const a = order[at]!;
    const b = order[at + 1] ?? a;
    const mix = (x = 0, y = 0) => Math.round(((x + y) / 2) * 100) / 100;
    const ra = a.rotation ?? [0, 0, 0];
    const rb = b.rotation ?? [0, 0, 0];
    const k: Keyframe = {
      t: mix(a.t, b.t),
      rotation: [mix(ra[0], rb[0]), mix(ra[1], rb[1]), mix(ra[2], rb[2])],
      fov: mix(a.fov ?? 45, b.fov ?? 45),
    };
    if (!write({ ...path, keyframes: [...path.keyframes, k] }, 'Add keyframe')) setSelected(path.keyframes.length);
  };
  const sel = Math.min(selected, path.keyframes.length - 1);
  const key = path.keyframes[sel];

  return (
    <div className="kg-modal-backdrop kg-cam-backdrop" onPointerDown={onClose}>
      <div
        className="kg-cam"
        ref={root}
        role="dialog"
        aria-label="Camera editor"
        data-testid="camera-editor"
        onPointerDown={(e) => e.stopPropagation()}
      >
        <div className="kg-cam-head">
          <span className="kg-cam-title">Camera · {String(doc.ui.nodes[nodeId]?.title ?? schema?.title ?? 'Camera Path')}</span>
          <span className="kg-cam-sub">drag a frame to aim, its corner to zoom · moves add on top of the keyframes</span>
          <button className="kg-btn" onClick={() => setJsonOpen((v) => !v)}>
            {jsonOpen ? 'Hide JSON' : 'JSON'}
          </button>
          <button className="kg-btn primary" onClick={onClose} aria-label="Close camera editor">
            Done
          </button>
        </div>
        <div className="kg-cam-body">
          <div className="kg-cam-left">
            <FramingView
              path={path}
              photoUrl={photo ? inputFileUrl(photo) : undefined}
              aspect={aspect}
              limits={rules.limits}
              selected={sel}
              onSelect={setSelected}
              onDragStart={() => store.begin('Drag framing')}
              onDrag={(i, view) => void write(withKey(i, view), 'Drag framing')}
              onDragEnd={() => store.commit()}
            />
            <div className="kg-cam-keys">
              <span className="kg-cam-legend">
                <span style={{ color: KEY_COLORS.start }}>■ start</span> <span style={{ color: KEY_COLORS.between }}>■ between</span>{' '}
                <span style={{ color: KEY_COLORS.end }}>■ end</span>
              </span>
              {path.keyframes.length === 0 ? (
                <button className="kg-btn" data-testid="frame-by-hand" onClick={addHandFraming}>
                  Frame start and end by hand
                </button>
              ) : (
                <>
                  <KeyTrack
                    path={path}
                    selected={sel}
                    onSelect={setSelected}
                    onDragStart={() => store.begin('Keyframe time')}
                    onRetime={(i, t) => void write(withKey(i, { t }), 'Keyframe time')}
                    onDragEnd={() => store.commit()}
                  />
                  {key && (
                    <div className="kg-cam-keyfields" data-testid="keyframe-fields">
                      <NumField
                        label="t"
                        value={key.t}
                        width={44}
                        check={(v) => checkAt(withKey(sel, { t: v }), `keyframes.${sel}.t`)}
                        onValue={(v) => void write(withKey(sel, { t: v }), 'Keyframe time')}
                      />
                      <NumField
                        label="fov°"
                        value={key.fov ?? 45}
                        step={1}
                        width={48}
                        testId="keyframe-fov"
                        check={(v) => checkAt(withKey(sel, { fov: v }), `keyframes.${sel}.fov`)}
                        onValue={(v) => void write(withKey(sel, { fov: v }), 'Keyframe field of view')}
                      />
                      {(['yaw', 'pitch', 'roll'] as const).map((n, j) => (
                        <NumField
                          key={n}
                          label={`${n}°`}
                          value={(key.rotation ?? [0, 0, 0])[j]!}
                          step={1}
                          width={44}
                          check={(v) => {
                            const r = [...(key.rotation ?? [0, 0, 0])] as [number, number, number];
                            r[j] = v;
                            return checkAt(withKey(sel, { rotation: r }), `keyframes.${sel}.rotation.${j}`);
                          }}
                          onValue={(v) => {
                            const r = [...(key.rotation ?? [0, 0, 0])] as [number, number, number];
                            r[j] = v;
                            write(withKey(sel, { rotation: r }), 'Keyframe rotation');
                          }}
                        />
                      ))}
                      <button className="kg-btn" onClick={addKeyframe} disabled={path.keyframes.length >= rules.maxKeyframes}>
                        + keyframe
                      </button>
                      <button
                        className="kg-btn"
                        onClick={() => write({ ...path, keyframes: path.keyframes.filter((_, j) => j !== sel) }, 'Remove keyframe')}
                      >
                        Remove
                      </button>
                    </div>
                  )}
                </>
              )}
            </div>
          </div>
          <div className="kg-cam-right">
            {denoise ? (
              <LivePreview denoiseId={denoise} onAspect={setAspect} onTime={showTime} width={512} />
            ) : (
              <div className="kg-cam-empty">Connect this camera to a Denoise node to see it move.</div>
            )}
          </div>
        </div>
        <MoveTimeline
          moves={path.moves}
          palette={rules.moves}
          easings={rules.easings}
          maxMoves={rules.maxMoves}
          check={(i, field, v) => checkAt(withMove(i, { [field]: v }), `moves.${i}.${field}`)}
          onChange={(i, patch, label) => void write(withMove(i, patch), label)}
          onAdd={(type) =>
            write(
              {
                ...path,
                moves: [
                  ...path.moves,
                  {
                    type,
                    intensity: 0.5,
                    easing: rules.easings.includes('ease_in_out') ? 'ease_in_out' : (rules.easings[0] ?? 'linear'),
                    start: 0,
                    end: 1,
                  },
                ],
              },
              `Add ${type}`,
            )
          }
          onRemove={(i) => write({ ...path, moves: path.moves.filter((_, j) => j !== i) }, 'Remove move')}
          onDragStart={() => store.begin('Move timing')}
          onDragEnd={() => store.commit()}
        />
        {jsonOpen && (
          <JsonEditor
            value={node?.params[param]}
            validate={rules.validate}
            onValue={(v) => store.edit('Edit camera JSON', (d) => void (d.nodes[nodeId]!.params[param] = v))}
          />
        )}
      </div>
    </div>
  );
}

/** Keyframes on the clip's time line (0..1), coloured by role: click to select, drag to retime (one undo step). */
function KeyTrack(props: {
  path: PathValue;
  selected: number;
  onSelect: (i: number) => void;
  onDragStart: () => void;
  onRetime: (i: number, t: number) => void;
  onDragEnd: () => void;
}) {
  const track = useRef<HTMLDivElement>(null);
  const drag = (e: React.PointerEvent, i: number) => {
    e.preventDefault();
    props.onSelect(i);
    const box = track.current!.getBoundingClientRect();
    props.onDragStart();
    const move = (ev: PointerEvent) =>
      props.onRetime(i, Math.round(Math.min(1, Math.max(0, (ev.clientX - box.left) / box.width)) * 100) / 100);
    const up = () => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
      props.onDragEnd();
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  };
  return (
    <div className="kg-cam-keytrack" ref={track} aria-label="Keyframes in time" data-testid="keyframe-track">
      <span className="kg-cam-playhead" />
      {props.path.keyframes.map((k, i) => (
        <button
          key={i}
          className={'kg-cam-key' + (i === props.selected ? ' selected' : '')}
          style={{ left: `${Math.min(1, Math.max(0, k.t)) * 100}%`, background: KEY_COLORS[keyRole(props.path, i)] }}
          title={`keyframe at t ${k.t} (drag to retime)`}
          data-testid="keyframe-marker"
          onPointerDown={(e) => drag(e, i)}
        />
      ))}
    </div>
  );
}

/** The path as JSON for power users, refused as typed when the schema says no. */
function JsonEditor({
  value,
  validate,
  onValue,
}: {
  value: unknown;
  validate: (v: unknown) => { ok: boolean; issues?: { path: string; message: string }[] };
  onValue: (v: unknown) => void;
}) {
  const stored = JSON.stringify(value ?? null, null, 1);
  const [text, setText] = useState(stored);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!error) setText(stored);
  }, [stored, error]);
  return (
    <div className="kg-cam-json">
      <textarea
        className={'kg-textarea kg-mono' + (error ? ' invalid' : '')}
        rows={6}
        aria-label="Camera path JSON"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          let parsed: unknown;
          try {
            parsed = JSON.parse(e.target.value);
          } catch (err) {
            setError(`not JSON yet: ${(err as Error).message}`);
            return;
          }
          const v = validate(parsed);
          if (!v.ok) {
            const i = v.issues![0]!;
            setError(`${i.path ? i.path + ': ' : ''}${i.message}`);
            return;
          }
          setError(undefined);
          onValue(parsed);
        }}
        onBlur={() => {
          setError(undefined);
          setText(stored);
        }}
      />
      {error && (
        <div className="kg-field-error" role="alert" data-testid="camera-error">
          {error}
        </div>
      )}
    </div>
  );
}
