import { describe, expect, it } from "vitest";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  manualTimers,
  STAFF,
  signInStaff,
  signInStaffWithTokens,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

interface Frame {
  id?: string;
  event?: string;
  data?: Record<string, unknown>;
  comment?: string;
}

/** Opens GET /v1/events and reads it frame by frame (each read waits for the next frame). */
async function openStream(app: TestParentline, token: string, lastEventId?: string) {
  const response = await app.app.request("/v1/events", {
    headers: {
      authorization: `Bearer ${token}`,
      ...(lastEventId ? { "last-event-id": lastEventId } : {}),
    },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  return {
    async next(): Promise<Frame> {
      while (!buffered.includes("\n\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffered += decoder.decode(value, { stream: true });
      }
      const end = buffered.indexOf("\n\n");
      const text = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const frame: Frame = {};
      for (const line of text.split("\n")) {
        if (line.startsWith(":")) frame.comment = line.slice(1).trim();
        else if (line.startsWith("id: ")) frame.id = line.slice(4);
        else if (line.startsWith("event: ")) frame.event = line.slice(7);
        else if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6));
      }
      return frame;
    },
    /** Whether the server ends the stream within `ms` (frames before the end are skipped). */
    async ends(ms = 1000): Promise<boolean> {
      const deadline = new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms));
      for (;;) {
        const read = await Promise.race([reader.read(), deadline]);
        if (read === "open") return false;
        if (read.done) return true;
      }
    },
    close: () => reader.cancel(),
  };
}

const summary = (frame: Frame) => [frame.event, frame.data?.reference];

describe("GET /v1/events", () => {
  it("delivers ticket and message events to the staff who may see the ticket, and only them", async () => {
    const app = await createTestParentline();
    const admin = await openStream(app, await signInStaff(app, STAFF.admin));
    const rao = await openStream(app, await signInStaff(app, STAFF.rao)); // class teacher of 5A
    const accounts = await openStream(app, await signInStaff(app, STAFF.accounts));
    const riverside = await openStream(app, await signInStaff(app, STAFF.riversideAdmin));

    await verifyParent(app, DEMO.parentWithOneChild); // child in Greenfield 5A
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Other", text: "Lost coat" });
    const created = await admin.next();
    expect(created).toMatchObject({
      event: "ticket.created",
      data: { reference: "T-1001", category: "other", status: "open" },
    });
    expect(created.id).toBe(String(created.data?.id));
    expect(summary(await rao.next())).toEqual(["ticket.created", "T-1001"]);

    app.clock.advance(11 * 60_000);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Fees", text: "Invoice" });
    // Accounts sees fees only: its first event is T-1002, so T-1001 never reached it.
    expect(summary(await accounts.next())).toEqual(["ticket.created", "T-1002"]);
    expect(summary(await admin.next())).toEqual(["ticket.created", "T-1002"]);
    expect(summary(await rao.next())).toEqual(["ticket.created", "T-1002"]);

    const token = await signInStaff(app, STAFF.admin);
    await app.json("POST", "/v1/tickets/2/replies", { body: "Paid, thanks" }, token);
    await app.json("POST", "/v1/tickets/2/notes", { body: "Checked the ledger" }, token);
    await app.json("PATCH", "/v1/tickets/2", { priority: "urgent" }, token);
    for (const stream of [admin, accounts]) {
      expect(await stream.next()).toMatchObject({
        event: "message.added",
        data: {
          reference: "T-1002",
          authorType: "staff",
          internal: false,
          status: "waiting_for_parent",
        },
      });
      expect(await stream.next()).toMatchObject({
        event: "message.added",
        data: { internal: true },
      });
      expect(await stream.next()).toMatchObject({
        event: "ticket.updated",
        data: { reference: "T-1002", priority: "urgent", changes: ["priority"] },
      });
    }

    // Riverside's admin saw none of it: the first thing it gets is its own school's ticket.
    await verifyParent(app, DEMO.riversideParent);
    await makeRequest(app, DEMO.riversideParent, { category: "Other", text: "Bus stop" });
    expect(await riverside.next()).toMatchObject({
      event: "ticket.created",
      data: { reference: "T-1001", category: "other" },
    });
    expect(app.staffEvents.size).toBe(4);
    for (const stream of [admin, rao, accounts, riverside]) await stream.close();
    expect(app.staffEvents.size).toBe(0);
  });

  it("resumes after Last-Event-ID with every event missed, in order, then goes on live", async () => {
    const app = await createTestParentline();
    const token = await signInStaff(app, STAFF.admin);
    const first = await openStream(app, token);
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Other", text: "Lost coat" });
    const seen = await first.next();
    await first.close();

    // While disconnected: a note and a status change.
    await app.json("POST", "/v1/tickets/1/notes", { body: "Looking" }, token);
    await app.json("PATCH", "/v1/tickets/1", { status: "in_progress" }, token);

    const resumed = await openStream(app, token, seen.id);
    const missed = [await resumed.next(), await resumed.next()];
    expect(
      missed.map((frame) => [frame.event, frame.data?.changes ?? frame.data?.internal]),
    ).toEqual([
      ["message.added", true],
      ["ticket.updated", ["status"]],
    ]);
    expect(Number(missed[0]?.id)).toBeGreaterThan(Number(seen.id));
    expect(Number(missed[1]?.id)).toBeGreaterThan(Number(missed[0]?.id));
    await app.json("POST", "/v1/tickets/1/replies", { body: "Found it" }, token);
    expect(await resumed.next()).toMatchObject({
      event: "message.added",
      data: { internal: false },
    });
    await resumed.close();

    const invalid = await app.app.request("/v1/events", {
      headers: { authorization: `Bearer ${token}`, "last-event-id": "yesterday" },
    });
    expect(invalid.status).toBe(422);
  });

  it("sends a heartbeat on every tick of its 15-second timer, and stops it when the last stream ends", async () => {
    const timers = manualTimers();
    const app = await createTestParentline({}, { timers });
    const stream = await openStream(app, await signInStaff(app, STAFF.rao));
    expect(timers.intervals()).toEqual([15_000]);
    timers.tick();
    expect(await stream.next()).toEqual({ comment: "heartbeat" });
    timers.tick();
    expect(await stream.next()).toEqual({ comment: "heartbeat" });
    await stream.close();
    expect(timers.intervals()).toEqual([]);
  });
});

describe("an open /v1/events stream", () => {
  async function raoAndAdminStreams() {
    const timers = manualTimers();
    const app = await createTestParentline({}, { timers });
    const admin = await signInStaff(app, STAFF.admin);
    const rao = await signInStaffWithTokens(app, STAFF.rao);
    const staff = (await (await app.json("GET", "/v1/staff", undefined, admin)).json()) as {
      staff: { id: number; phone: string }[];
    };
    const raoId = staff.staff.find((member) => member.phone === STAFF.rao)?.id;
    return {
      app,
      timers,
      admin,
      rao,
      raoId,
      raoStream: await openStream(app, rao.accessToken),
      adminStream: await openStream(app, admin),
    };
  }

  it("ends at once when its member is deactivated, and only that member's", async () => {
    const { app, admin, raoId, raoStream, adminStream } = await raoAndAdminStreams();
    const patched = await app.json("PATCH", `/v1/staff/${raoId}`, { active: false }, admin);
    expect(patched.status).toBe(200);
    expect(await raoStream.ends()).toBe(true);
    expect(app.staffEvents.size).toBe(1);
    await adminStream.close();
  });

  it("stays open through an edit that does not change what its member sees", async () => {
    const { app, admin, raoId, raoStream, adminStream } = await raoAndAdminStreams();
    const patched = await app.json("PATCH", `/v1/staff/${raoId}`, { title: "Dr" }, admin);
    expect(patched.status).toBe(200);
    expect(await raoStream.ends(200)).toBe(false);
    expect(app.staffEvents.size).toBe(2);
    await raoStream.close();
    await adminStream.close();
  });

  it("ends at once when its session signs out", async () => {
    const { app, rao, raoStream, adminStream } = await raoAndAdminStreams();
    const out = await app.json("POST", "/v1/auth/logout", { refreshToken: rao.refreshToken });
    expect(out.status).toBe(204);
    expect(await raoStream.ends()).toBe(true);
    expect(app.staffEvents.size).toBe(1);
    await adminStream.close();
  });

  it("ends at once when its member's role changes; the reconnect sees what the new role sees", async () => {
    const { app, admin, raoId, rao, raoStream, adminStream } = await raoAndAdminStreams();
    await app.json(
      "PATCH",
      `/v1/staff/${raoId}`,
      { role: "office", officeFunction: "accounts" },
      admin,
    );
    expect(await raoStream.ends()).toBe(true);
    // The same token opens a new stream: the session is live, the member is now office staff.
    const again = await openStream(app, rao.accessToken);
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Other", text: "Lost coat" });
    app.clock.advance(11 * 60_000);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Fees", text: "Invoice" });
    // As the class teacher of 5A she saw T-1001; as the accounts office she sees fees only.
    expect(summary(await again.next())).toEqual(["ticket.created", "T-1002"]);
    await again.close();
    await adminStream.close();
  });

  it("ends the moment its access token expires", async () => {
    const { app, timers, raoStream, adminStream } = await raoAndAdminStreams();
    // One timeout per stream, at its token's expiry (15 minutes after sign-in).
    expect(timers.timeouts()).toEqual([15 * 60_000, 15 * 60_000]);
    timers.tick();
    expect(await raoStream.next()).toEqual({ comment: "heartbeat" });
    expect(await raoStream.ends(100)).toBe(false);
    app.clock.advance(15 * 60_000);
    timers.fireTimeouts();
    expect(await raoStream.ends()).toBe(true);
    expect(await adminStream.ends()).toBe(true);
    expect(app.staffEvents.size).toBe(0);
  });

  it("clears its expiry timer when the client goes away", async () => {
    const { timers, raoStream, adminStream } = await raoAndAdminStreams();
    await raoStream.close();
    await adminStream.close();
    expect(timers.timeouts()).toEqual([]);
  });

  it("ends at the first heartbeat after its member is deactivated by another process", async () => {
    const { app, timers, raoId, raoStream, adminStream } = await raoAndAdminStreams();
    // A second server on the same database (or a script) changes the row: no in-process signal.
    app.db.$client.prepare("update staff set active = 0 where id = ?").run(raoId);
    expect(await raoStream.ends(100)).toBe(false);
    timers.tick();
    expect(await raoStream.ends()).toBe(true);
    expect(app.staffEvents.size).toBe(1);
    await adminStream.close();
  });
});
