// drizzle-kit reads this to generate db/migrations from db/schema.ts (never hand-edit the output).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  // Also writes db/migrations/migrations.js, the index a Durable Object bundles its migrations by.
  driver: "durable-sqlite",
});
