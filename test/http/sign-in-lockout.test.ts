// Nobody can lock a member or a parent out of signing in by asking for codes to their phone, and
// the codes a phone receives stay bounded (SMS pumping).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { CODE_RULES } from "../../src/services/one-time-codes";
import {
  codeIn,
  createTestParentline,
  DEMO,
  STAFF,
  type TestParentline,
} from "../support/parentline";

const minutes = (n: number) => n * 60_000;

function post(app: TestParentline, path: string, body: unknown, address: string) {
  return app.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify(body),
  });
}

/** Asks for a code for `phone` from `address`: the status, and the code the phone received. */
async function requestCodeFrom(app: TestParentline, phone: string, address: string) {
  const requested = await post(app, "/v1/auth/otp/request", { phone }, address);
  await app.dispatcher.dispatchDue();
  const history = (await (
    await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(phone)}`)
  ).json()) as { messages: { text: string }[] };
  return {
    status: requested.status,
    code: codeIn(history.messages.map((message) => message.text).slice(-1)),
  };
}

const verifyFrom = async (app: TestParentline, phone: string, code: string, address: string) =>
  (await post(app, "/v1/auth/otp/verify", { phone, code }, address)).status;

/** Asks for a code for `phone` from `address` and answers with the code it got; the status of each. */
async function signInFrom(app: TestParentline, phone: string, address: string) {
  const { status, code } = await requestCodeFrom(app, phone, address);
  return { requested: status, verified: await verifyFrom(app, phone, code, address) };
}

const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

const codesTo = async (app: TestParentline, phone: string) =>
  (await app.db.select().from(schema.otpCodes).where(eq(schema.otpCodes.phone, phone))).length;

describe("staff sign-in under a stranger's code requests", () => {
  it("lets a teacher sign in from her address while a stranger hammers her phone from theirs", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    // For two hours the stranger asks as often as they are let, her number written every way.
    const written = ["+14155550184", "4155550184", "14155550184"];
    for (let slot = 0; slot < 8; slot += 1) {
      for (let n = 0; n < 12; n += 1)
        await post(app, "/v1/auth/otp/request", { phone: written[n % 3] }, "198.51.100.7");
      app.clock.advance(minutes(15));
    }
    // They got their share of her codes for the day and no more…
    expect(await codesTo(app, STAFF.rao)).toBe(CODE_RULES.perRequester.perDay);
    expect(
      (await post(app, "/v1/auth/otp/request", { phone: STAFF.rao }, "198.51.100.7")).status,
    ).toBe(202);
    expect(await codesTo(app, STAFF.rao)).toBe(CODE_RULES.perRequester.perDay);
    // …and she, from her own address, gets a code and signs in.
    expect(await signInFrom(app, STAFF.rao, "203.0.113.5")).toEqual({
      requested: 202,
      verified: 200,
    });
  });

  it("keeps a teacher's code working while a stranger asks for codes and guesses from another address", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    const { code } = await requestCodeFrom(app, STAFF.rao, "203.0.113.5");
    for (let n = 0; n < 3; n += 1)
      await post(app, "/v1/auth/otp/request", { phone: STAFF.rao }, "198.51.100.7");
    for (let n = 0; n < 7; n += 1)
      expect(await verifyFrom(app, STAFF.rao, wrongCodeFor(code), "198.51.100.7")).toBe(401);
    expect(await verifyFrom(app, STAFF.rao, code, "203.0.113.5")).toBe(200);
  });

  it("accepts a sign-in code only from the address that asked for it", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    const { code } = await requestCodeFrom(app, STAFF.rao, "203.0.113.5");
    expect(await verifyFrom(app, STAFF.rao, code, "198.51.100.7")).toBe(401);
    expect(await verifyFrom(app, STAFF.rao, code, "203.0.113.5")).toBe(200);
  });

  it("sends a phone at most its daily ceiling of codes, from however many addresses", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    for (let slot = 0; slot < 8; slot += 1) {
      for (let n = 0; n < 12; n += 1)
        await post(app, "/v1/auth/otp/request", { phone: STAFF.rao }, `198.51.100.${n}`);
      app.clock.advance(minutes(15));
    }
    expect(await codesTo(app, STAFF.rao)).toBe(CODE_RULES.perPhone.perDay);
  });
});

describe("parent verification under a stranger's code requests", () => {
  it("lets a parent verify in their own chat while another chat keeps asking for their code", async () => {
    const app = await createTestParentline();
    const stranger = "+14155550177";
    await app.say(stranger, "hi");
    await app.say(stranger, DEMO.parentWithOneChild);
    for (let slot = 0; slot < 4; slot += 1) {
      for (let n = 0; n < 3; n += 1) await app.say(stranger, "resend");
      app.clock.advance(minutes(15));
    }
    expect(await codesTo(app, DEMO.parentWithOneChild)).toBe(CODE_RULES.perRequester.perDay);
    const code = codeIn((await app.say(DEMO.parentWithOneChild, "hi")).texts);
    expect((await app.say(DEMO.parentWithOneChild, code)).texts[0]).toBe(
      "Thanks, Michael, you're verified.",
    );
  });
});
