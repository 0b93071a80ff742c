import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { createLogger } from "../../src/logger";
import { codeIn, createTestParentline, DEMO, signInStaff } from "../support/parentline";

const PARENT = DEMO.parentWithOneChild;
const minutes = (n: number) => n * 60_000;
const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("the code step", () => {
  it("counts only something shaped like a code as a try; words there send no code", async () => {
    const app = await createTestParentline();
    const code = codeIn((await app.say(PARENT, "hi")).texts);
    const prompt =
      'Please type the 6-digit code we sent to +1•••••0102, or "resend" for a new one. No code was used up.';
    for (const word of ["what?", "menu", "0", "settings"]) {
      expect((await app.say(PARENT, word)).texts).toEqual([prompt]);
    }
    const help = (await app.say(PARENT, "help")).texts;
    expect(help[0]).toContain("Greenfield Primary School");
    expect(help[0]).toContain("+14155550100");
    expect(help[1]).toBe(prompt);
    const spanish = (await app.say(PARENT, "español")).texts;
    expect(spanish).toEqual([
      'Escriba el código de 6 dígitos que enviamos al +1•••••0102, o "reenviar" para recibir uno nuevo. No se gastó ningún intento.',
    ]);
    const codes = await app.db.select().from(schema.otpCodes);
    expect(codes).toHaveLength(1);
    expect(codes[0]?.attempts).toBe(0);
    expect((await app.say(PARENT, code.replace(/(\d{3})/, "$1 "))).texts[0]).toBe(
      "Gracias, Michael: su número quedó verificado.",
    );
  });
});

describe("verifying a parent by one-time code", () => {
  it("counts wrong codes down and kills the code after the fifth", async () => {
    const app = await createTestParentline();
    const code = codeIn((await app.say(PARENT, "hi")).texts);
    const wrong = wrongCodeFor(code);
    for (const left of [4, 3, 2, 1]) {
      expect((await app.say(PARENT, wrong)).texts).toEqual([
        `That code isn't right. You have ${left} ${left === 1 ? "try" : "tries"} left.`,
      ]);
    }
    expect((await app.say(PARENT, wrong)).texts[0]).toContain("That code no longer works");
    // The right code no longer works either: a new one is needed.
    expect((await app.say(PARENT, code)).texts[0]).toContain("That code no longer works");
    const fresh = codeIn((await app.say(PARENT, "resend")).texts);
    expect((await app.say(PARENT, fresh)).texts[0]).toBe("Thanks, Michael, you're verified.");
  });

  it("refuses a code after 10 minutes", async () => {
    const app = await createTestParentline();
    const code = codeIn((await app.say(PARENT, "hi")).texts);
    app.clock.advance(minutes(10));
    expect((await app.say(PARENT, code)).texts[0]).toContain("That code no longer works");
  });

  it("sends at most 3 codes in 15 minutes and says when to try again", async () => {
    const app = await createTestParentline();
    await app.say(PARENT, "hi");
    await app.say(PARENT, "resend");
    await app.say(PARENT, "resend");
    const limited = await app.say(PARENT, "resend");
    expect(limited.body.replies.some((reply) => reply.kind === "otp")).toBe(false);
    // The first code went at 09:00 UTC = 1:00 AM in Los Angeles; 15 minutes later it may go again.
    expect(limited.texts[0]).toBe(
      "We've sent several codes already. For your security, please try again after Monday, November 23 at 1:15 AM PST. If it's urgent, call the office on +14155550100.",
    );
    app.clock.advance(minutes(15) + 1);
    expect(
      (await app.say(PARENT, "resend")).body.replies.some((reply) => reply.kind === "otp"),
    ).toBe(true);
  });

  it("binds a code to the conversation that asked for it", async () => {
    const app = await createTestParentline();
    const code = codeIn((await app.say(PARENT, "hi")).texts);
    const otherChat = "+14155550177";
    await app.say(otherChat, "hi");
    // The other chat asks for a code for the same phone: that code, not the first, belongs to it.
    await app.say(otherChat, PARENT);
    expect((await app.say(otherChat, code)).texts[0]).toContain("That code isn't right");
  });

  it("lets a verified parent back in without a code until the link expires", async () => {
    const app = await createTestParentline({ VERIFICATION_TTL_DAYS: "1" });
    const code = codeIn((await app.say(PARENT, "hi")).texts);
    await app.say(PARENT, code);
    app.clock.advance(minutes(60 * 23));
    expect((await app.say(PARENT, "menu")).texts).toEqual(["How can I help?"]);
    app.clock.advance(minutes(61));
    // A new conversation start: the link has expired, so the parent verifies again.
    await app.db.$client.prepare("delete from conversations").run();
    expect((await app.say(PARENT, "hi")).texts.join(" ")).toContain("We sent a 6-digit code");
  });

  it("never writes a code or a message body to the logs", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await createTestParentline({}, { logger: createLogger("trace", sink) });
    const send = async (text: string) => (await app.say(PARENT, text)).texts;
    const code = codeIn(await send("hi"));
    await send(code);
    const staffCodeToken = await signInStaff(app, "+14155550190");
    const all = lines.join("");
    expect(lines.length).toBeGreaterThan(5);
    expect(all).not.toContain(code);
    expect(all).not.toContain(staffCodeToken);
    expect(all).not.toContain("Your Parentline code");
    expect(all).not.toContain(PARENT);
    expect(all).toContain("+1•••••0102");
  });
});
