/** A colour per socket type; unknown types get a stable hue from their name. */
const KNOWN: Record<string, string> = {
  IMAGE: '#64b5f6',
  LATENT: '#ff8a80',
  CONDITIONING: '#ffb74d',
  CAMERA: '#4dd0e1',
  MODEL: '#b39ddb',
  VAE: '#f06292',
  TEXT_ENCODER: '#ffd54f',
  UPSCALE_MODEL: '#ce93d8',
  VIDEO: '#81c784',
  AUDIO: '#4db6ac',
  MASK: '#eeeeee',
  INT: '#aed581',
  FLOAT: '#9ccc65',
  STRING: '#e0e0e0',
  BOOLEAN: '#90a4ae',
  ANY: '#bdbdbd',
};

export function socketColor(type: string | undefined): string {
  if (!type) return '#888';
  const k = KNOWN[type];
  if (k) return k;
  let h = 0;
  for (const c of type) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 60% 65%)`;
}

export const NODE_COLORS = ['', '#3b4d6b', '#3f5e45', '#6b4d3b', '#5e3f5c', '#6b6b3b', '#3b6068', '#6b3b3b'];
