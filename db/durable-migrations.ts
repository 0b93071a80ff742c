// The migrations a Durable Object applies in its constructor: drizzle-kit's index of db/migrations
// (written by `drizzle-kit generate` since drizzle.config.ts names the durable-sqlite driver),
// its .sql files bundled as text.
import bundle from "./migrations/migrations.js";

export const durableMigrations = bundle;
