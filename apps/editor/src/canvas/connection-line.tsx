import { getBezierPath, type ConnectionLineComponentProps } from '@xyflow/react';
import { useApp } from '../app-context.js';
import { checkConnection, inputType, outputType } from '../graph/compat.js';
import { socketColor } from '../graph/socket-colors.js';

/** The link being dragged: in its type's colour, and over a handle that refuses it, the reason why. */
export function ConnectionLine({
  fromX,
  fromY,
  toX,
  toY,
  fromPosition,
  toPosition,
  fromHandle,
  toHandle,
  connectionStatus,
}: ConnectionLineComponentProps) {
  const { schemas, store } = useApp();
  const doc = store.doc;
  const id = fromHandle.id ?? '';
  const type =
    fromHandle.type === 'source' ? outputType(schemas, doc, fromHandle.nodeId, id) : inputType(schemas, doc, fromHandle.nodeId, id);
  const [path] = getBezierPath({
    sourceX: fromX,
    sourceY: fromY,
    sourcePosition: fromPosition,
    targetX: toX,
    targetY: toY,
    targetPosition: toPosition,
  });
  let reason: string | null = null;
  if (connectionStatus === 'invalid' && toHandle) {
    const [src, dst] = fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
    const check = checkConnection(schemas, doc, {
      source: src.nodeId,
      sourceHandle: src.id ?? '',
      target: dst.nodeId,
      targetHandle: dst.id ?? '',
    });
    reason = check.ok ? null : check.reason;
  }
  return (
    <g className="kg-connection-line">
      <path
        d={path}
        fill="none"
        stroke={reason ? '#ff6b6b' : socketColor(type)}
        strokeWidth={2.5}
        strokeDasharray={reason ? '6 4' : undefined}
      />
      {reason && (
        <foreignObject x={toX + 12} y={toY - 34} width={320} height={60} style={{ overflow: 'visible' }}>
          <div className="kg-connection-reason" role="status">
            {reason}
          </div>
        </foreignObject>
      )}
    </g>
  );
}
