import type { Category, HostileFile, MediaKind } from './make-files.js';

export type Outcome = { ok: boolean; status: number; message: string; storedName?: string };
/**
 * A refusal whose message must match; 'loads' where the bytes are in fact fine for that reader (the type is
 * told from the bytes, never the name); 'partial' where a stream cut between its packets decodes to its first
 * part (counted apart in the table: the upload refuses most of these, the loaders decode what is there).
 */
export type Expectation = RegExp | 'loads' | 'partial';
type Via = MediaKind | 'upload';

/** Words no refusal may be: they say nothing about the file. */
export const GENERIC =
  /internal (server )?error|something went wrong|unexpected error|^error$|\[object |\bundefined\b|\bat \S+ \(.*:\d+:\d+\)|Maximum call stack/i;

const NOT_OF_KIND = /^Not an accepted (image|video|audio) file \(found [^;]+; accepted: [a-z0-9, ]+\)$/;
const UPLOAD: Record<Category, RegExp> = {
  empty: /^The upload is empty$/,
  truncated:
    /truncated|damaged|can not be read: .*(premature end|corrupt header)|is not a readable (video|audio) file: (Invalid data|End of file)|has no video track|found unknown data/,
  corrupt:
    /corrupt header|truncated or damaged|is not a readable (video|audio) file|has no video track|holds no decodable|found unknown data/,
  'decompression bomb': /^The image is \d+x\d+ \([\d.]+ MP\); the limit is 64\.0 MP$|corrupt header|found image\/gif/,
  'wrong type': NOT_OF_KIND,
  'svg entities': /^Not an accepted image file \(found (application\/xml|unknown data);/,
  polyglot: /found unknown data|found image\/gif|is not a readable audio file/,
  'absurd header': /channel|not a readable audio file|codec that can not be decoded|found unknown data/,
  'broken audio': /not a readable audio file|truncated or damaged|found audio\/aiff/,
  symlink: /never uploaded/,
  'odd name': /filename: Too big: expected string to have <=255 characters/,
};

/** How each loader words a file of the wrong kind, or one it can not read. */
const LOADER: Record<MediaKind, RegExp> = {
  image:
    /Image "[^"]*" is (empty \(0 bytes\)|truncated|corrupt|\d+x\d+ \([\d.]+ MP\), over the 64\.0 MP limit)|"[^"]*" is not an image \(expected JPEG, PNG, WebP, AVIF, TIFF or GIF\)/,
  video:
    /Video file "[^"]*" is empty \(0 bytes\)|"[^"]*" (is not a video: its bytes are|has no video track|is not a readable video file|could not be decoded, the file looks truncated or damaged|has more than 100000 frames)/,
  audio: /Audio file "[^"]*" is empty \(0 bytes\)|"[^"]*" (has no audio track|is not a readable audio file|holds no audio samples)/,
};
const PLAYLIST = /playlists and concat scripts are refused because they make ffmpeg read other files/;

/** Files whose bytes one reader takes as they are, and streams cut between packets. */
const SPECIAL: Record<string, Partial<Record<Via, Expectation>>> = {
  'wav-as.jpg': { audio: 'loads' },
  'mp4-as.png': { video: 'loads' },
  'jpeg-as.mp4': { image: 'loads' },
  'wav-as.mp4': { audio: 'loads' },
  'png-as.wav': { image: 'loads' },
  'mp4-noaudio-as.mp3': { video: 'loads' },
  // A real picture with bytes after its end: it is that picture.
  'png-hls.png': { upload: 'loads', image: 'loads' },
  'jpeg-zip.jpg': { upload: 'loads', image: 'loads' },
  // Lossy WebP decodes noise to a noisy picture; libvips ignores a PNG chunk's CRC: nothing to tell them by.
  'garbage.webp': { upload: 'loads', image: 'loads' },
  'bad-crc.png': { upload: 'loads', image: 'loads' },
  // Exactly 64 MP, the limit: taken. The GIF's frame is small; its screen descriptor's size is not used.
  'bomb-wide.png': { upload: 'loads', image: 'loads' },
  'bomb.gif': { image: 'loads' },
  // Real clips (8192x8192 frames are decoded one at a time; the upload proves 3 frames, LoadVideo counts them all).
  'huge-8192.mp4': { upload: 'loads', video: 'loads' },
  'frames-101k.mp4': { upload: 'loads', video: /has more than 100000 frames; set max_frames/ },
  // ffmpeg reads the picture size and the frames from the stream, not from the lying container fields.
  'mp4-dur.mp4': { upload: 'loads', video: 'loads' },
  'mp4-dims.mp4': { upload: 'loads', video: 'loads' },
  'cut-0.1.mp3': { upload: 'partial', audio: 'partial' },
  'cut-0.5.mp3': { upload: 'partial', audio: 'partial' },
  'cut-0.5.ogg': { upload: 'partial', audio: 'partial' },
  'cut-0.5.webm': { upload: 'partial', video: 'partial' },
  'cut-0.5.mkv': { upload: 'partial', video: 'partial' },
  'cut-0.5.flac': { audio: 'partial' },
  'cut-0.002.wav': { audio: 'partial' },
  'cut-0.1.wav': { audio: 'partial' },
  'cut-0.5.wav': { audio: 'partial' },
  'cut-0.9.wav': { audio: 'partial' },
  'cut-fast-0.5.mp4': { video: 'partial' },
  'cut-fast-0.9.mp4': { video: 'partial' },
  'mp3-junk-frames.mp3': { audio: 'partial' },
  'wav-odd-bytes.wav': {},
  // Valid pictures under odd names, and a link that stays inside the folder.
  'фото-🎞.png': { upload: 'loads', image: 'loads' },
  'CON.png': { upload: 'loads', image: 'loads' },
  '.hidden.png': { upload: 'loads', image: 'loads' },
  'link-inside.png': { image: 'loads' },
  'inside.png': { upload: 'loads', image: 'loads' },
};

const NAME_REFUSAL: Array<[RegExp, RegExp]> = [
  [/\.\./, /File name ".*" may not contain '\.\.'$/],
  [/^\//, /Absolute paths are not allowed here: ".*" \(upload the file instead\)$/],
  [/[\x00-\x1f]/, /File name ".*" contains control characters$/],
  [/^a{100}/, /expected string to have <=4096 characters/],
  [/^\s*$/, /No file chosen$/],
  [/^(missing\.png|\.|a-folder\.png)$/, /File "[^"]*" not found$/],
];

/** The outcome a file should get through `via`. */
export function expectationFor(f: HostileFile, via: Via): Expectation {
  const special = SPECIAL[f.param]?.[via];
  if (special) {
    // The over-long upload name is refused by the query check, whatever the bytes.
    if (via === 'upload' && f.upload!.filename.length > 255) return UPLOAD['odd name'];
    return special;
  }
  if (via === 'upload') return UPLOAD[f.category];
  if (f.category === 'symlink' && f.param !== 'link-inside.png')
    return f.param === 'link-dangling.png' ? /File "link-dangling\.png" not found$/ : /"[^"]+" links outside the input folder$/;
  if (f.category === 'odd name') for (const [name, refusal] of NAME_REFUSAL) if (name.test(f.param)) return refusal;
  if (f.category === 'polyglot' && via !== 'image' && /^(hls|concat|id3-hls)/.test(f.param) && !f.param.startsWith('id3')) return PLAYLIST;
  return LOADER[via];
}
