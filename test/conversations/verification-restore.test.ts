// Conversations saved mid-verification before both machines shared one code verification (waiting
// for the code) and one identification step (asked for the phone on file): each resumes where it
// was and verifies.
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { PARENT_MACHINE } from "../../flows/parent";
import { STAFF_MACHINE } from "../../flows/staff";
import parentAskingPhone from "../fixtures/conversations/parent-v3-asking-phone.json";
import parentAwaitingCode from "../fixtures/conversations/parent-v3-awaiting-code.json";
import staffAwaitingCode from "../fixtures/conversations/staff-v1-awaiting-code.json";
import {
  codeIn,
  createTestParentline,
  DEMO,
  STAFF,
  type TestParentline,
} from "../support/parentline";

interface SavedConversation {
  machine: string;
  machineVersion: number;
  snapshot: unknown;
}

// Imported rather than read from disk, so the suite also runs inside workerd (no host files).
const saved = (conversation: unknown) => structuredClone(conversation) as SavedConversation;

/** Sends "hi" so a real code goes out, then puts the saved snapshot in place of the live one. */
async function resumeSaved(app: TestParentline, address: string, conversation: SavedConversation) {
  const asked = await app.say(address, "hi");
  app.db.$client
    .prepare(
      "update conversations set machine = ?, machine_version = ?, snapshot = ? where address = ?",
    )
    .run(
      conversation.machine,
      conversation.machineVersion,
      JSON.stringify(conversation.snapshot),
      address,
    );
  return codeIn(asked.texts);
}

const otherThan = (code: string) => (code === "000000" ? "000001" : "000000");

describe("a parent conversation saved while waiting for the code", () => {
  it("resumes at the code step and verifies with the code sent", async () => {
    const conversation = saved(parentAwaitingCode);
    expect(conversation.snapshot).toMatchObject({ value: "awaitingCode" });
    expect([PARENT_MACHINE.version, ...PARENT_MACHINE.restores]).toContain(
      conversation.machineVersion,
    );
    const app = await createTestParentline();
    const code = await resumeSaved(app, DEMO.parentWithOneChild, conversation);

    // A word is no try and sends no code: the step says again what it waits for.
    const word = await app.say(DEMO.parentWithOneChild, "hello");
    expect(word.texts.join(" ")).toContain("+1•••••0102");
    expect(await app.db.select().from(schema.otpCodes)).toHaveLength(1);

    const wrong = await app.say(DEMO.parentWithOneChild, otherThan(code));
    expect(wrong.texts.join(" ")).toContain("4 tries left");
    const verified = await app.say(DEMO.parentWithOneChild, code);
    expect(verified.texts[0]).toContain("verified");
    const [row] = await app.db.select().from(schema.conversations);
    expect(row?.machineVersion).toBe(PARENT_MACHINE.version);
    expect((row?.snapshot as { value?: unknown } | undefined)?.value).toEqual({ verified: "menu" });
  });
});

describe("a parent conversation saved while asked for the phone on file", () => {
  it("resumes at the phone question, sends the code to the phone typed and verifies", async () => {
    const conversation = saved(parentAskingPhone);
    expect(conversation.snapshot).toMatchObject({ value: "askingPhone" });
    expect(conversation.machineVersion).toBe(PARENT_MACHINE.version);
    const app = await createTestParentline();
    const chat = (conversation.snapshot as { context: { address: string } }).context.address;
    await app.say(chat, "hi");
    app.db.$client
      .prepare("update conversations set snapshot = ? where address = ?")
      .run(JSON.stringify(conversation.snapshot), chat);

    const asked = await app.say(chat, DEMO.parentWithOneChild);
    expect(asked.texts.join(" ")).toContain("+1•••••0102");
    const history = await app.json(
      "GET",
      `/dev/chat/history?address=${encodeURIComponent(DEMO.parentWithOneChild)}`,
    );
    const { messages } = (await history.json()) as { messages: { text: string }[] };
    const verified = await app.say(chat, codeIn(messages.map((message) => message.text)));
    expect(verified.texts[0]).toContain("verified");
  });
});

describe("a staff conversation saved while waiting for the code", () => {
  it("resumes at the code step and verifies with the code sent", async () => {
    const conversation = saved(staffAwaitingCode);
    expect(conversation.snapshot).toMatchObject({ value: "awaitingCode" });
    expect(conversation.machineVersion).toBe(STAFF_MACHINE.version);
    const app = await createTestParentline();
    const code = await resumeSaved(app, STAFF.rao, conversation);

    const wrong = await app.say(STAFF.rao, otherThan(code));
    expect(wrong.texts).toEqual(["That code isn't right. You have 4 tries left."]);
    const verified = await app.say(STAFF.rao, code);
    expect(verified.texts).toEqual([
      "Thank you, Ms Rao, you're verified as staff.",
      "What would you like to do?",
    ]);
    const [row] = await app.db.select().from(schema.conversations);
    expect(row?.machineVersion).toBe(STAFF_MACHINE.version);
    expect((row?.snapshot as { value?: unknown } | undefined)?.value).toEqual({ verified: "menu" });
  });
});
