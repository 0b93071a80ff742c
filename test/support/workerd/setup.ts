// The workerd project's setup: every test (its beforeEach and afterEach hooks included) runs
// inside a Durable Object of its own, whose SQLite storage is migrated from db/migrations first,
// as a tenant's object is in its constructor. A fresh object per test is a fresh database.
import { env, runInDurableObject } from "cloudflare:test";
import { aroundEach } from "vitest";
import { openDurableObjectDatabase } from "../../../db/durable-object";
import { enterObject } from "./current-object";

aroundEach(async (runTest) => {
  const { TENANTS } = env;
  const object = TENANTS.get(TENANTS.newUniqueId());
  await runInDurableObject(object, async (_instance, state) => {
    await openDurableObjectDatabase(state.storage);
    enterObject(state.storage);
    try {
      await runTest();
    } finally {
      enterObject(undefined);
    }
  });
});
