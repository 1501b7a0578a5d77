import { WsClientMessageSchema } from '../../protocol/index.js';
import type { ClientChannel } from '../ws/client-channel.js';
import { PreviewSession, type PreviewDeps } from './preview-session.js';

/** A tab may keep this many previews open at once (say, two Denoise nodes side by side). */
const MAX_SESSIONS_PER_TAB = 4;

/**
 * Reads what tabs send on /ws (the preview messages of protocol/preview-session.ts) and keeps each tab's
 * sessions; a message that does not parse is ignored (it never closes the socket), sessions end with it.
 */
export class PreviewService {
  private readonly tabs = new WeakMap<ClientChannel, Map<string, PreviewSession>>();

  constructor(private readonly deps: PreviewDeps) {}

  message(channel: ClientChannel, text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = WsClientMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    let sessions = this.tabs.get(channel);
    if (!sessions) {
      const created = new Map<string, PreviewSession>();
      sessions = created;
      this.tabs.set(channel, created);
      channel.ws.on('close', () => {
        for (const s of created.values()) s.close();
        created.clear();
      });
    }
    const existing = sessions.get(msg.session);
    if (msg.type === 'preview_close') {
      existing?.close();
      sessions.delete(msg.session);
    } else if (msg.type === 'preview_seek') {
      existing?.seek(msg.frame, msg.playing);
    } else {
      let s = existing;
      if (!s) {
        if (sessions.size >= MAX_SESSIONS_PER_TAB) return;
        s = new PreviewSession(msg.session, channel, this.deps);
        sessions.set(msg.session, s);
      }
      s.open(msg);
    }
  }
}
