/** `pnpm --filter @commerce/client size`: the client's own size and, separately, with its dependencies. */
import { gzippedSize } from "./bundle.ts";

const own = await gzippedSize({ withDependencies: false });
const all = await gzippedSize({ withDependencies: true });
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB (${bytes} B)`;
console.log(`client's own code:            ${kb(own)} gzipped (aim 3 KB; the size test holds it at 3.5 KB)`);
console.log(`with ky, nanostores, zod/mini: ${kb(all)} gzipped (dependencies: ${kb(all - own)})`);
