/** What middleware hands to routes through Hono's context. */
import type { Logger } from "pino";
import type { Shop } from "../shops/shop-directory.ts";

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    /** Set once a route has resolved the shop; CORS and metrics read it. */
    shop: Shop | undefined;
  };
};
