// End to end through the real Node entry: a parent raises a request over the simulator (with a
// server restart in the middle of the conversation), the class teacher signs in through the staff
// API and replies, and the parent receives the reply. Then a clean SIGTERM shutdown.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { codeIn, DEMO, type SendBody } from "../support/parentline";
import { type ServerProcess, startServer, stopAllServers } from "../support/server-process";

const PARENT = DEMO.parentWithOneChild;
const MESSAGE = "Could Chloe's homework be sent home? She is ill.";
const STAFF_REPLY = "Yes, I'll send it with her brother.";

interface HistoryBody {
  address: string;
  messages: { direction: "in" | "out"; text: string; kind?: string; at: string }[];
}

interface DemoBody {
  schools: { name: string; staff: { name: string; phone: string; classes: string[] }[] }[];
}

describe("Parentline as a real server process", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-e2e-"));
  const databasePath = join(dir, "parentline.db");
  let server: ServerProcess;
  let reference = "";

  afterAll(async () => {
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  async function request(method: string, path: string, body?: unknown, token?: string) {
    return fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function say(address: string, text: string, id?: string): Promise<SendBody> {
    const response = await request("POST", "/dev/chat/send", {
      address,
      text,
      ...(id ? { id } : {}),
    });
    if (response.status !== 200) {
      throw new Error(`send failed: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as SendBody;
  }

  const textsOf = (body: SendBody) => body.replies.map((reply) => reply.text);

  async function history(address: string): Promise<HistoryBody> {
    const response = await request(
      "GET",
      `/dev/chat/history?address=${encodeURIComponent(address)}`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as HistoryBody;
  }

  it("starts and prints where the simulator and the staff API live", async () => {
    server = await startServer({ databasePath });
    expect(server.output()).toContain("/dev/chat");
    expect(server.output()).toContain("/v1/docs");
  });

  it("verifies the parent and walks them to the message prompt", async () => {
    const hi = await say(PARENT, "hi");
    expect(hi.replies.some((reply) => reply.kind === "otp")).toBe(true);
    expect(textsOf(hi).some((text) => text.includes("We sent a 6-digit code"))).toBe(true);

    const verified = await say(PARENT, codeIn(textsOf(hi)));
    expect(textsOf(verified).some((text) => text.includes("verified"))).toBe(true);
    const menu = verified.replies.at(-1);
    expect(menu?.options?.map((option) => option.label)).toContain("New request");

    // One child only, so no "which child?" question: straight to the category.
    const category = await say(PARENT, "1");
    expect(category.replies.at(-1)?.options?.map((option) => option.label)).toContain("Academics");

    const prompt = await say(PARENT, "Academics");
    expect(textsOf(prompt).join("\n")).toMatch(/Please write your message about Academics/);
  });

  it("survives a restart mid-conversation and routes the request to the class teacher", async () => {
    expect(await server.stop()).toBe(0);
    server = await startServer({ databasePath });

    const summary = await say(PARENT, MESSAGE);
    const check = summary.replies.at(-1);
    expect(check?.text).toContain("Please check your request");
    expect(check?.text).toContain(MESSAGE);
    expect(check?.options?.map((option) => option.label)).toEqual(["Send", "Don't send"]);

    const sent = await say(PARENT, "Send");
    const confirmation = textsOf(sent).join("\n");
    expect(confirmation).toContain("Ms Rao, class teacher of 5A");
    reference = confirmation.match(/T-\d+/)?.[0] ?? "";
    expect(reference).toMatch(/^T-\d+$/);
  });

  it("lets the class teacher sign in, find the ticket and reply; the parent receives it", async () => {
    const demo = (await (await request("GET", "/dev/demo")).json()) as DemoBody;
    const teacher = demo.schools
      .flatMap((school) => school.staff)
      .find((member) => member.name === "Ms Rao" && member.classes.includes("5A"));
    expect(teacher).toBeDefined();
    const phone = teacher?.phone ?? "";

    const requested = await request("POST", "/v1/auth/otp/request", { phone });
    expect(requested.status).toBe(202);
    // The outbox dispatcher delivers the code on its own poll, not in the request.
    const code = await eventually("the staff sign-in code", async () => {
      const otp = (await history(phone)).messages.filter((m) => m.kind === "otp").at(-1);
      return otp ? codeIn([otp.text]) : undefined;
    });

    const verified = await request("POST", "/v1/auth/otp/verify", { phone, code });
    expect(verified.status).toBe(200);
    const { accessToken } = (await verified.json()) as { accessToken: string };
    expect(accessToken).toBeTruthy();

    const listed = await request("GET", "/v1/tickets", undefined, accessToken);
    expect(listed.status).toBe(200);
    const { tickets } = (await listed.json()) as {
      tickets: { id: number; reference: string }[];
    };
    const ticket = tickets.find((t) => t.reference === reference);
    expect(ticket, `ticket ${reference} in ${JSON.stringify(tickets)}`).toBeDefined();

    const replied = await request(
      "POST",
      `/v1/tickets/${ticket?.id}/replies`,
      { body: STAFF_REPLY },
      accessToken,
    );
    expect(replied.status).toBe(201);

    const delivered = await eventually("the staff reply on the parent's phone", async () =>
      (await history(PARENT)).messages.find(
        (m) => m.kind === "staff_reply" && m.text.startsWith(reference),
      ),
    );
    expect(delivered.direction).toBe("out");
    expect(delivered.text).toContain(STAFF_REPLY);
  });

  it("answers a replayed simulator message id once", async () => {
    const first = await say(PARENT, "hi", "same-1");
    expect(first.duplicate).toBe(false);
    expect(first.replies.length).toBeGreaterThan(0);

    const replay = await say(PARENT, "hi", "same-1");
    expect(replay.duplicate).toBe(true);
    expect(replay.replies).toEqual([]);
  });

  it("shuts down cleanly on SIGTERM and leaves a WAL-mode SQLite file", async () => {
    expect(await server.stop()).toBe(0);
    expect(existsSync(databasePath)).toBe(true);
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });
});
