/** What middleware hands to routes through Hono's context. */
import type { Logger } from "pino";
import type { Shop } from "../shops/shop-directory.ts";

export type AppEnv = {
  Variables: {
    requestId: string;
    /** The app's logger; `requestLog(c)` gives the request's own. */
    logger: Logger;
    log: Logger | undefined;
    /** Set once a route has resolved the shop; CORS and metrics read it. */
    shop: Shop | undefined;
  };
};
