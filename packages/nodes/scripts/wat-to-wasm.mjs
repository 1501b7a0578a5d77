// WebAssembly text to binary with wabt (the WebAssembly project's toolkit), the same way every time.
import createWabt from 'wabt';

export async function watToWasm(text, name) {
  const wabt = await createWabt();
  const module = wabt.parseWat(name, text);
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}
