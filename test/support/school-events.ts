// Helpers for school events: an admin's API key, and an event sent with it as a school system would.
import type { TestParentline } from "./parentline";

/** An API key made by the admin whose access token is given. */
export async function makeApiKey(
  app: TestParentline,
  adminToken: string,
): Promise<{ id: number; key: string }> {
  const made = await app.json("POST", "/v1/api-keys", { name: "Attendance system" }, adminToken);
  if (made.status !== 201) throw new Error(`key not made: ${made.status} ${await made.text()}`);
  const { id, key } = (await made.json()) as { id: number; key: string };
  return { id, key };
}

/** POST /v1/integrations/events with the key and an Idempotency-Key (none when null). */
export function sendEvent(
  app: TestParentline,
  key: string,
  event: unknown,
  idempotencyKey: string | null = `event-${Math.random()}`,
): Promise<Response> {
  return Promise.resolve(
    app.app.request("/v1/integrations/events", {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        ...(idempotencyKey === null ? {} : { "idempotency-key": idempotencyKey }),
      },
      body: typeof event === "string" ? event : JSON.stringify(event),
    }),
  );
}
