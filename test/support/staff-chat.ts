// Staff chats in the simulator: verifying a member's chat, reading what it was sent, and replying
// to one of its messages.
import { expect } from "vitest";
import { codeIn, type TestParentline } from "./parentline";

export interface ChatEntry {
  text: string;
  kind?: string;
  direction: string;
  id?: string;
}

/** Everything a simulator address received and sent, oldest first. */
export async function chatHistoryOf(app: TestParentline, address: string): Promise<ChatEntry[]> {
  const response = await app.json(
    "GET",
    `/dev/chat/history?address=${encodeURIComponent(address)}`,
  );
  return ((await response.json()) as { messages: ChatEntry[] }).messages;
}

/** Links a staff member's simulator chat by the code sent to their phone. */
export async function verifyStaffChat(app: TestParentline, phone: string): Promise<void> {
  const asked = await app.say(phone, "hi");
  await app.say(phone, codeIn(asked.texts));
}

/** The alerts a chat has received, after the dispatcher sends what is due. */
export async function alertsIn(app: TestParentline, phone: string): Promise<ChatEntry[]> {
  await app.dispatcher.dispatchDue();
  return (await chatHistoryOf(app, phone)).filter((entry) => entry.kind === "alert");
}

/** Sends as the simulator phone, as a reply to the message with id `replyTo`; returns the bot's texts. */
export async function replyInChat(
  app: TestParentline,
  phone: string,
  replyTo: string,
  text: string,
): Promise<string[]> {
  const response = await app.json("POST", "/dev/chat/send", { address: phone, text, replyTo });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: { text: string }[] }).replies.map((r) => r.text);
}
