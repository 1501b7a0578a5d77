// write-file-atomic ships no types; this is the part we use.
declare module 'write-file-atomic' {
  interface Options {
    encoding?: BufferEncoding | null;
    mode?: number;
    fsync?: boolean;
  }
  function writeFileAtomic(filename: string, data: string | Uint8Array, options?: Options): Promise<void>;
  export default writeFileAtomic;
}
