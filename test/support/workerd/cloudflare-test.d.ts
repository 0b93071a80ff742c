// The part of @cloudflare/vitest-plugin's `cloudflare:test` module the workerd setup uses, typed
// without the Workers runtime's global types (the rest of the project is typed for Node).
declare module "cloudflare:test" {
  interface ObjectNamespace {
    newUniqueId(): unknown;
    get(id: unknown): unknown;
  }
  /** The SQLite storage of a Durable Object: what db/durable-sqlite-client.ts reads. */
  interface ObjectStorage {
    sql: { exec(query: string, ...bindings: unknown[]): never };
    transactionSync<T>(closure: () => T): T;
  }
  export const env: { TENANTS: ObjectNamespace };
  export function runInDurableObject<R>(
    stub: unknown,
    callback: (instance: unknown, state: { storage: ObjectStorage }) => R | Promise<R>,
  ): Promise<R>;
}
