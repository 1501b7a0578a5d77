import type { Workflow } from '../api/types.js';
import type { EditorStore } from './editor-store.js';
import { normalizeWorkflow } from './empty-workflow.js';

/**
 * Autosave, one slot per browser tab: `kinegraph.workspace.<slot>` in localStorage holds `{ savedAt, doc }`, and the
 * tab remembers its slot in sessionStorage (so a reload finds its own work). Two tabs never write the same slot, so
 * an edit in one never replaces the other's graph. A fresh tab takes over the most recently saved slot that no open
 * tab holds (or starts from a copy of the latest when all are open); a duplicated tab, which inherits the session
 * storage, sees its slot held and moves to a new one.
 */
export const SLOT_PREFIX = 'kinegraph.workspace.';
const SESSION_KEY = 'kinegraph.slot';
/** The single slot of earlier versions: taken over once, then removed. */
const LEGACY_KEY = 'kinegraph.autosave.v1';
/** Slots kept (the oldest beyond this are dropped, so storage does not fill up with abandoned tabs). */
const MAX_SLOTS = 12;

interface SlotRecord {
  savedAt: number;
  doc: unknown;
}

export interface Storages {
  local: Storage;
  session: Storage;
}

const browserStorages = (): Storages => ({ local: localStorage, session: sessionStorage });

function readSlot(local: Storage, slot: string): SlotRecord | null {
  try {
    const rec = JSON.parse(local.getItem(SLOT_PREFIX + slot) ?? 'null') as SlotRecord | null;
    return rec && typeof rec.savedAt === 'number' ? rec : null;
  } catch {
    return null;
  }
}

/** Every saved slot, newest first. */
export function listSlots(local: Storage): { slot: string; savedAt: number }[] {
  const out: { slot: string; savedAt: number }[] = [];
  for (let i = 0; i < local.length; i++) {
    const key = local.key(i);
    if (!key?.startsWith(SLOT_PREFIX)) continue;
    const rec = readSlot(local, key.slice(SLOT_PREFIX.length));
    if (rec) out.push({ slot: key.slice(SLOT_PREFIX.length), savedAt: rec.savedAt });
  }
  return out.sort((a, b) => b.savedAt - a.savedAt);
}

export function newSlotId(): string {
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
}

export interface ClaimedWorkspace {
  slot: string;
  doc: Workflow | null;
}

/**
 * Picks this tab's slot and its document. `held`: slots other open tabs hold now (from the Web Locks API).
 * The document is null on a first visit (or when nothing saved can be read).
 */
export function claimSlot(held: ReadonlySet<string>, { local, session }: Storages = browserStorages()): ClaimedWorkspace {
  migrateLegacy(local);
  const read = (slot: string) => {
    const rec = readSlot(local, slot);
    if (!rec) return null;
    try {
      return normalizeWorkflow(rec.doc);
    } catch {
      return null;
    }
  };
  const own = session.getItem(SESSION_KEY);
  let slot: string;
  let doc: Workflow | null;
  if (own && !held.has(own)) {
    slot = own;
    doc = read(own);
  } else {
    const slots = listSlots(local);
    const free = slots.find((s) => !held.has(s.slot));
    // A reload of a duplicated tab starts from its twin's work, in a slot of its own.
    const source = own && held.has(own) ? own : (free?.slot ?? slots[0]?.slot);
    slot = !own && free ? free.slot : newSlotId();
    doc = source ? read(source) : null;
  }
  session.setItem(SESSION_KEY, slot);
  return { slot, doc };
}

function migrateLegacy(local: Storage): void {
  const raw = local.getItem(LEGACY_KEY);
  if (raw === null) return;
  try {
    local.setItem(SLOT_PREFIX + newSlotId(), JSON.stringify({ savedAt: Date.now(), doc: JSON.parse(raw) }));
  } catch {
    // unreadable or no room: dropped
  }
  local.removeItem(LEGACY_KEY);
}

/** Writes the document to this tab's slot a moment after each change (debounced: a drag is one write, not hundreds). */
export function startAutosave(store: EditorStore, slot: string, local: Storage = localStorage, delayMs = 400): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = store.doc;
  const flush = () => {
    timer = undefined;
    try {
      local.setItem(SLOT_PREFIX + slot, JSON.stringify({ savedAt: Date.now(), doc: store.doc } satisfies SlotRecord));
      for (const old of listSlots(local).slice(MAX_SLOTS)) local.removeItem(SLOT_PREFIX + old.slot);
    } catch {
      // Quota exceeded: the workspace still works, it just will not survive a reload.
    }
  };
  const unsubscribe = store.subscribe(() => {
    if (store.doc === last) return;
    last = store.doc;
    clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  const onHide = () => timer && (clearTimeout(timer), flush());
  // Closing the tab flushes a pending write (the optional call keeps this usable outside a browser).
  globalThis.addEventListener?.('pagehide', onHide);
  return () => {
    unsubscribe();
    globalThis.removeEventListener?.('pagehide', onHide);
    onHide();
  };
}

/**
 * Holds this tab's slot for as long as the page lives (a Web Lock named after it), so other tabs can tell which
 * slots are open. False when another tab got it first; true once held (or without the Locks API).
 */
export async function holdSlot(slot: string): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return true;
  return new Promise<boolean>((answer) => {
    void locks.request(SLOT_PREFIX + slot, { ifAvailable: true }, (lock) => {
      answer(lock !== null);
      // Never settles while the page lives: the lock goes when the tab closes.
      return lock ? new Promise<never>(() => undefined) : undefined;
    });
  });
}

/** Claims a slot (see claimSlot) and holds it; a race lost to another tab opening at the same moment gives a new slot. */
export async function openWorkspace(storages: Storages = browserStorages()): Promise<ClaimedWorkspace> {
  const claimed = claimSlot(await heldSlots(), storages);
  if (await holdSlot(claimed.slot)) return claimed;
  const slot = newSlotId();
  storages.session.setItem(SESSION_KEY, slot);
  await holdSlot(slot);
  return { slot, doc: claimed.doc };
}

/** Slots held by open tabs right now. */
export async function heldSlots(): Promise<Set<string>> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return new Set();
  const state = await locks.query();
  return new Set(
    (state.held ?? [])
      .map((l) => l.name ?? '')
      .filter((n) => n.startsWith(SLOT_PREFIX))
      .map((n) => n.slice(SLOT_PREFIX.length)),
  );
}
