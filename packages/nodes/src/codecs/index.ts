import { registerCodec } from '@kinegraph/graph-core';
import { AUDIO, CONDITIONING, DEPTH, FACES, IMAGE, LATENT, MASK, VIDEO } from '../sockets.js';
import { facesCodec } from './faces-codec.js';
import { imageCodec } from './image-codec.js';
import { audioCodec, conditioningCodec, depthCodec, latentCodec, maskCodec, videoCodec } from './tensor-codecs.js';

/**
 * How the disk tier keeps this library's values, registered once on import. Types without a codec
 * (model handles, cameras with their sampling function) are not stored: a result holding one is skipped.
 */
registerCodec(LATENT, latentCodec);
registerCodec(CONDITIONING, conditioningCodec);
registerCodec(IMAGE, imageCodec);
registerCodec(AUDIO, audioCodec);
registerCodec(VIDEO, videoCodec);
registerCodec(MASK, maskCodec);
registerCodec(DEPTH, depthCodec);
registerCodec(FACES, facesCodec);
